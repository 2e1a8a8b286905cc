"""The freshness policy, end to end: a reminder after a year, a second one a month later,
the badge, the entry offline after two years with an email saying how to come back, and
back online once confirmed; each step in the audit log, on the dashboard and on /faq."""

from datetime import date, timedelta
from email import message_from_bytes
from email.policy import default
from pathlib import Path

from sqlalchemy import select

from directory import search
from directory.extensions import db
from directory.models import AuditEntry, Provider
from directory.search import SearchRequest
from directory.services import reminders
from tests.conftest import body_of, csrf_token, html
from tests.factories import make_provider


def _run(app, days_from_now: int) -> reminders.FreshnessReport:
    with app.test_request_context():
        return reminders.run(date.today() + timedelta(days=days_from_now))


def _emails(app) -> list[str]:
    """The plain-text bodies of the emails written so far."""
    folder = Path(app.config["MAIL_OUTBOX_DIR"])
    messages = [message_from_bytes(p.read_bytes(), policy=default) for p in folder.glob("*.eml")]
    return [body_of(message) for message in messages]


def test_the_whole_freshness_cycle(app, client):
    with app.app_context():
        stale = make_provider(
            name="Vieille Fiche",
            contact_email="owner@private.example.net",
            last_verified_on=date.today() - timedelta(days=400),
        )
        make_provider(contact_email="fresh@private.example.net", last_verified_on=date.today())
        provider_id = stale.id

    assert _run(app, 0) == reminders.FreshnessReport(1, 0, 0)
    assert _run(app, 0) == reminders.FreshnessReport(0, 0, 0)
    assert _run(app, 29) == reminders.FreshnessReport(0, 0, 0)
    assert _run(app, 31) == reminders.FreshnessReport(0, 1, 0)
    assert _run(app, 62) == reminders.FreshnessReport(0, 0, 0)
    assert len(_emails(app)) == 2

    # Two years unverified: offline, out of the search, and told how to come back.
    assert _run(app, 331) == reminders.FreshnessReport(0, 0, 1)
    with app.app_context():
        provider = db.session.get(Provider, provider_id)
        assert not provider.published and provider.unpublished_stale_on
        assert search.search(SearchRequest(text="vieille")).total == 0
    assert client.get(f"/providers/{stale.slug}").status_code == 404
    (offline_email,) = [e for e in _emails(app) if "/edit-link" in e]
    edit_path = "/edit/" + offline_email.split("/edit/")[1].split()[0]

    # The edit link opens, says so, and confirming puts the entry back online.
    page = html(client.get(edit_path))
    assert page.select_one(".offline-stale")
    client.post(edit_path + "/confirm", data={"csrf_token": csrf_token(client, edit_path)})
    with app.app_context():
        provider = db.session.get(Provider, provider_id)
        assert provider.published and provider.unpublished_stale_on is None
        assert provider.last_verified_on == date.today() and provider.reminders_sent == 0
        assert search.search(SearchRequest(text="vieille")).total == 1
        actions = db.session.scalars(
            select(AuditEntry.action)
            .where(AuditEntry.provider_id == provider_id)
            .order_by(AuditEntry.id)
        ).all()
    assert actions == [
        "reminder.sent",
        "reminder.resent",
        "entry.unpublished_stale",
        "entry.confirmed",
        "entry.republished",
    ]


def test_an_offline_entry_cannot_be_changed_before_it_is_confirmed(app, client):
    with app.app_context():
        make_provider(
            contact_email="owner@private.example.net",
            last_verified_on=date.today() - timedelta(days=800),
        )
    _run(app, 0)
    (email,) = [e for e in _emails(app) if "/edit-link" in e]
    edit_path = "/edit/" + email.split("/edit/")[1].split()[0]
    assert client.get(edit_path + "/remove").status_code == 404
    form = html(client.get(edit_path)).select_one("form[enctype]")
    assert form is not None
    data = {"csrf_token": form.select_one("input[name=csrf_token]")["value"], "name": "X"}
    response = client.post(edit_path, data=data)
    assert response.status_code == 400


def test_the_dashboard_and_the_faq_show_the_policy(app, client, auth, moderator):
    with app.app_context():
        for days in (10, 100, 200, 500):
            make_provider(last_verified_on=date.today() - timedelta(days=days))
    auth.login()
    page = html(client.get("/moderation/dashboard?lang=en"))
    figures = {
        div.dt.get_text(strip=True): div.dd.get_text(strip=True)
        for div in page.select(".freshness .figure")
    }
    assert figures["Entries verified in the last 12 months"] == "75%"
    assert figures['Showing the "to be verified" badge'] == "1"
    faq = html(client.get("/faq?lang=en")).select_one("#freshness").find_next("ul").get_text()
    assert "30 days later" in faq and "2 years" in faq
