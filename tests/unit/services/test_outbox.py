"""The outbox: an email is committed with what caused it, then sent once, even after a crash."""

import logging
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update

from directory.extensions import db
from directory.models import OutboxMessage
from directory.models.provider import utcnow
from directory.services import applications, mail, moderation
from tests.factories import make_provider


@pytest.fixture
def crash_after_commit(monkeypatch):
    """The process dies right after a commit: no email of that commit is delivered."""
    monkeypatch.setattr(mail, "_deliver_committed", lambda app, session: None)
    return monkeypatch


def _rows(app) -> list[OutboxMessage]:
    with app.app_context():
        rows = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
        db.session.expunge_all()
        return rows


def _pending_approval(app, moderator):
    with app.test_request_context():
        application = applications.submit_new(
            {"name": "Les Claviers Solidaires", "kind": "association", "work_mode": "both"},
            "owner@private.example.net",
            "fr",
        )
        return application.id, application.version


def test_an_email_goes_with_its_commit_and_is_sent_right_after(app, moderator, smtp):
    application_id, version = _pending_approval(app, moderator)
    with app.test_request_context():
        moderation.approve(application_id, moderator, version)
    assert [m["Subject"] for m in smtp.to("owner@private.example.net")][-1].startswith(
        "Votre fiche"
    )
    rows = _rows(app)
    assert [row.cause for row in rows] == [
        f"application {application_id}: submitted",
        f"application {application_id}: approved",
    ]
    assert all(row.sent_at is not None for row in rows)


def test_a_rolled_back_change_sends_nothing(app, smtp):
    with app.test_request_context():
        mail.render_and_send("someone@private.example.net", "erased", "fr")
        db.session.rollback()
        db.session.commit()
    assert smtp.messages == []
    assert _rows(app) == []


def test_an_approval_whose_process_died_after_the_commit_is_emailed_once_by_send_outbox(
    app, runner, moderator, smtp, crash_after_commit
):
    application_id, version = _pending_approval(app, moderator)
    with app.test_request_context():
        moderation.approve(application_id, moderator, version)
    assert smtp.messages == []
    assert [row.sent_at for row in _rows(app)] == [None, None]
    crash_after_commit.undo()
    result = runner.invoke(args=["send-outbox"])
    assert result.exit_code == 0, result.output
    assert "2 emails sent; 0 waiting." in result.output
    assert runner.invoke(args=["send-outbox"]).output.startswith("0 emails sent")
    assert len(smtp.messages) == 2
    assert len({m["Message-ID"] for m in smtp.messages}) == 2


def test_a_mail_server_down_leaves_the_email_for_a_later_attempt(app, runner, smtp, caplog):
    caplog.set_level(logging.INFO)
    port = app.config["MAIL_PORT"]
    app.config["MAIL_PORT"] = 9  # nothing listens there
    with app.test_request_context():
        mail.render_and_send("someone@private.example.net", "erased", "fr", cause="test")
        db.session.commit()
    (row,) = _rows(app)
    assert (row.attempts, row.sent_at, row.claimed_at) == (1, None, None)
    assert row.next_attempt_at > utcnow()
    assert "someone@private.example.net" not in (row.last_error or "")
    app.config["MAIL_PORT"] = port
    assert runner.invoke(args=["send-outbox"]).output.startswith("0 emails sent; 1 waiting")
    with app.app_context():
        db.session.execute(update(OutboxMessage).values(next_attempt_at=utcnow()))
        db.session.commit()
    assert runner.invoke(args=["send-outbox"]).output.startswith("1 emails sent; 0 waiting")
    assert len(smtp.messages) == 1
    ours = [r.getMessage() for r in caplog.records if r.name.startswith("directory")]
    assert any("not sent, attempt 1: ConnectionRefusedError" in line for line in ours)
    assert not any("someone@private.example.net" in line for line in ours)


def test_a_claim_left_by_a_crashed_sender_is_taken_over_after_a_timeout(app, runner, smtp):
    with app.test_request_context():
        mail.render_and_send("someone@private.example.net", "erased", "fr")
        db.session.flush()
        # Another sender claimed it, then died before sending.
        db.session.execute(update(OutboxMessage).values(claimed_at=utcnow(), claim_token="crashed"))
        db.session.commit()
    assert smtp.messages == []
    with app.app_context():
        db.session.execute(
            update(OutboxMessage).values(
                claimed_at=utcnow() - mail.CLAIM_TIMEOUT - timedelta(seconds=1)
            )
        )
        db.session.commit()
    assert runner.invoke(args=["send-outbox"]).output.startswith("1 emails sent")
    assert len(smtp.messages) == 1


def test_two_senders_at_once_send_each_email_once(app, crash_after_commit):
    with app.test_request_context():
        for number in range(30):
            mail.render_and_send(f"person{number}@private.example.net", "erased", "fr")
        db.session.commit()
    crash_after_commit.undo()
    counts = []

    def sender():
        with app.app_context():
            counts.append(mail.deliver())

    threads = [threading.Thread(target=sender) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(counts) == 30
    files = list(Path(app.config["MAIL_OUTBOX_DIR"]).glob("*.eml"))
    assert len(files) == 30
    assert all(row.sent_at is not None for row in _rows(app))


def test_purge_prunes_sent_emails_after_the_retention(app, runner, crash_after_commit):
    with app.test_request_context():
        make_provider()
        for number in range(3):
            mail.render_and_send(f"person{number}@private.example.net", "erased", "fr")
        db.session.commit()
        old = utcnow() - timedelta(days=app.config["OUTBOX_RETENTION_DAYS"] + 1)
        first, second, _third = db.session.scalars(select(OutboxMessage.id)).all()
        db.session.execute(
            update(OutboxMessage).where(OutboxMessage.id == first).values(sent_at=old)
        )
        db.session.execute(
            update(OutboxMessage).where(OutboxMessage.id == second).values(sent_at=utcnow())
        )
        db.session.commit()
    result = runner.invoke(args=["purge"])
    assert "1 sent emails pruned" in result.output
    assert [row.id for row in _rows(app)] == [second, _third]
