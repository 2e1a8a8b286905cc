"""The demonstration data lives: every entry can be edited and reminded, its dates are
relative to the loading day, and the dashboard has a year of history to show."""

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from directory.extensions import db
from directory.models import Application, AuditEntry, Provider
from directory.services import dashboard
from directory.services.seeding import load_seed
from tests.conftest import SEED_DIR, csrf_token, html

SEED = json.loads((SEED_DIR / "providers.json").read_text(encoding="utf-8"))


@pytest.fixture
def demo(app):
    """A fresh app loaded with the seed data (it writes: not the shared seeded_app)."""
    with app.app_context():
        load_seed(SEED_DIR)
    return app


def test_every_seeded_provider_has_a_fictional_private_contact():
    emails = [item.get("contact_email") or "" for item in SEED]
    assert all(email.endswith("@example.org") for email in emails), emails
    assert len(set(emails)) == len(SEED)
    # Private: never the public address.
    assert not {item["email"] for item in SEED} & set(emails)


def test_seed_dates_are_relative_to_the_loading_day(seeded_app):
    with seeded_app.app_context():
        verified = db.session.scalars(select(Provider.last_verified_on)).all()
        ages = sorted((date.today() - day).days for day in verified)
        after = seeded_app.config["VERIFY_AFTER_DAYS"]
        badge = after + seeded_app.config["VERIFY_GRACE_DAYS"]
    assert 0 < ages[0] <= 10
    assert ages[-1] <= 550  # 18 months
    due = [age for age in ages if age > after]
    assert 3 <= len(due) <= len(ages) // 5
    assert 0 < len([age for age in ages if age > badge]) < len(ages) / 5


def test_fewer_than_one_result_card_in_five_is_to_be_verified(seeded_client):
    cards = {}
    for number in range(1, 5):  # 20 a page
        for card in html(seeded_client.get(f"/search?page={number}")).select("main article.card"):
            cards[card.select_one(".card-title a")["href"]] = card
    cards = list(cards.values())
    assert len(cards) == len(SEED)
    badges = [card for card in cards if card.select_one(".badge-warning")]
    assert 0 < len(badges) < len(cards) / 5


def test_an_edit_link_for_a_seeded_provider_arrives(demo, client):
    email = SEED[0]["contact_email"]
    response = client.post(
        "/edit-link", data={"email": email, "csrf_token": csrf_token(client, "/edit-link")}
    )
    assert response.status_code == 200
    written = list(Path(demo.config["MAIL_OUTBOX_DIR"]).glob("*.eml"))
    assert len(written) == 1
    assert email in written[0].read_text()


def test_send_reminders_reaches_the_entries_due(demo):
    with demo.app_context():
        due = date.today() - timedelta(days=demo.config["VERIFY_AFTER_DAYS"])
        expected = db.session.scalar(
            select(func.count(Provider.id)).where(Provider.last_verified_on <= due)
        )
    result = demo.test_cli_runner().invoke(args=["send-reminders"])
    assert result.exit_code == 0, result.output
    assert expected >= 3
    assert result.output.startswith(f"{expected} ")
    assert len(list(Path(demo.config["MAIL_OUTBOX_DIR"]).glob("*.eml"))) == expected


def test_the_demo_has_a_year_of_moderation_history(demo):
    with demo.app_context():
        board = dashboard.build()
        decided = db.session.scalar(select(func.count(Application.id)))
        audited = db.session.scalar(
            select(func.count(AuditEntry.id)).where(AuditEntry.action == "application.approved")
        )
    busy_months = [count for count in board.applications_per_month if count.value]
    assert len(busy_months) >= 6
    assert decided == audited >= 20
    assert len([c for c in board.median_days_per_month if c.value is not None]) >= 6
    # Loading again adds nothing.
    with demo.app_context():
        load_seed(SEED_DIR)
        assert db.session.scalar(select(func.count(Application.id))) == decided
