"""create-moderator and send-reminders."""

from datetime import date, timedelta

from sqlalchemy import select

from directory.extensions import db
from directory.models import Moderator, Provider, Role
from tests.factories import make_provider


def test_create_moderator_with_password_from_stdin(app, runner):
    result = runner.invoke(
        args=["create-moderator", "Admin@Example.org", "--role", "admin", "--password-stdin"],
        input="a long enough password\n",
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        moderator = db.session.scalar(select(Moderator))
        assert moderator.email == "admin@example.org"
        assert moderator.role == Role.ADMIN
        assert moderator.password_hash.startswith("$argon2id$")


def test_create_moderator_at_the_prompt(app, runner):
    result = runner.invoke(
        args=["create-moderator", "m@example.org"],
        input="a long enough password\na long enough password\n",
    )
    assert result.exit_code == 0, result.output


def test_create_moderator_refuses_common_passwords(app, runner):
    result = runner.invoke(
        args=["create-moderator", "m@example.org", "--password-stdin"], input="password123456\n"
    )
    assert result.exit_code != 0
    assert "too easy to guess" in result.output


def test_create_moderator_refuses_short_passwords_and_duplicates(app, runner):
    short = runner.invoke(
        args=["create-moderator", "m@example.org", "--password-stdin"], input="short\n"
    )
    assert short.exit_code != 0
    assert "12 characters" in short.output
    runner.invoke(
        args=["create-moderator", "m@example.org", "--password-stdin"],
        input="a long enough password\n",
    )
    again = runner.invoke(
        args=["create-moderator", "m@example.org", "--password-stdin"],
        input="a long enough password\n",
    )
    assert again.exit_code != 0
    assert "already" in again.output


def test_send_reminders_asks_stale_providers_once(app, runner, smtp):
    with app.app_context():
        stale = make_provider(
            contact_email="stale@example.net",
            locale="en",
            last_verified_on=date.today() - timedelta(days=400),
        )
        make_provider(contact_email="fresh@example.net", last_verified_on=date.today())
        stale_id = stale.id
    first = runner.invoke(args=["send-reminders"])
    assert "1 reminders sent." in first.output
    (email,) = smtp.messages
    assert email["To"] == "stale@example.net"
    assert email["Content-Language"] == "en"
    assert f"{app.config['PUBLIC_URL']}/edit/" in email.get_body(("plain",)).get_content()
    second = runner.invoke(args=["send-reminders"])
    assert "0 reminders sent." in second.output
    with app.app_context():
        assert db.session.get(Provider, stale_id).reminder_sent_at is not None
