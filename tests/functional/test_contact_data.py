"""Contact messages as data: limits across workers, the outbox after a crash, erasure,
retention, counts for moderators and providers, backups."""

import logging
from datetime import timedelta

import pytest
from sqlalchemy import select

from directory import create_app
from directory.extensions import db
from directory.models import AuditEntry, ContactMessage, OutboxMessage
from directory.models.provider import utcnow
from directory.services import applications, contact_stats, mail, moderation
from tests.conftest import body_of, html, link_in, make_app, worker_config
from tests.factories import make_provider
from tests.functional.test_contact import PRIVATE, SENDER, contact_form

TEXT = "Bonjour, nous cherchons un hébergement Nextcloud pour 12 bénévoles."


def _provider(app, slug="acme"):
    with app.app_context():
        return make_provider(slug=slug, contact_email=PRIVATE, services=["hosting"]).id


def _messages(app) -> list[ContactMessage]:
    with app.app_context():
        rows = db.session.scalars(select(ContactMessage).order_by(ContactMessage.id)).all()
        db.session.expunge_all()
        return rows


def test_the_limit_holds_across_two_apps_on_one_database_and_keeps_the_text(tmp_path):
    first = make_app(tmp_path, RATELIMIT_ENABLED=True, CONTACT_RATE_LIMIT="2 per hour")
    _provider(first)
    second = create_app(
        worker_config(first, RATELIMIT_ENABLED=True, CONTACT_RATE_LIMIT="2 per hour")
    )
    codes = []
    for app in (first, second, second):
        client = app.test_client()
        codes.append(client.post("/providers/acme/contact", data=contact_form(client)).status_code)
    assert codes == [302, 302, 429]
    client = second.test_client()
    refused = client.post("/providers/acme/contact", data=contact_form(client, body=TEXT + "!"))
    page = html(refused)
    assert page.select_one(".error-summary li").get_text(strip=True)
    assert page.select_one("#body").get_text().strip() == TEXT + "!"
    assert page.select_one("#sender_email")["value"] == SENDER
    assert len(_messages(first)) == 2
    second.extensions["directory.search"].index.close()


def test_the_limit_counts_the_sender_email_and_the_client_address_apart(tmp_path):
    app = make_app(tmp_path, RATELIMIT_ENABLED=True, CONTACT_RATE_LIMIT="1 per hour")
    _provider(app)
    client = app.test_client()

    def post(address, email):
        data = contact_form(client, sender_email=email)
        return client.post(
            "/providers/acme/contact", data=data, environ_base={"REMOTE_ADDR": address}
        ).status_code

    assert post("10.0.0.1", "one@asso.example.org") == 302
    # Same email from another address, then another email from the same address.
    assert post("10.0.0.2", "one@asso.example.org") == 429
    assert post("10.0.0.1", "two@asso.example.org") == 429
    assert post("10.0.0.3", "three@asso.example.org") == 302


def test_an_email_left_by_a_process_killed_after_the_commit_is_sent_once(
    app, client, smtp, monkeypatch
):
    _provider(app)
    # The process dies right after the commit: nothing of that commit is delivered.
    monkeypatch.setattr(mail, "_deliver_committed", lambda app, session: None)
    assert client.post("/providers/acme/contact", data=contact_form(client)).status_code == 302
    assert smtp.messages == []
    monkeypatch.undo()
    restarted = create_app(worker_config(app, MAIL_PORT=app.config["MAIL_PORT"]))
    runner = restarted.test_cli_runner()
    assert "2 emails sent; 0 waiting." in runner.invoke(args=["send-outbox"]).output
    assert runner.invoke(args=["send-outbox"]).output.startswith("0 emails sent")
    assert [m["To"] for m in smtp.messages].count(PRIVATE) == 1
    assert [m["To"] for m in smtp.messages].count(SENDER) == 1
    assert smtp.to(PRIVATE)[0]["Reply-To"] == SENDER
    restarted.extensions["directory.search"].index.close()


def test_a_failed_commit_leaves_neither_message_nor_email(app, client, smtp, monkeypatch):
    _provider(app)

    def broken_render(*args, **kwargs):
        raise RuntimeError("template broke")

    client.get("/providers/acme/contact")
    monkeypatch.setattr(mail, "render_and_send", broken_render)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = client.post("/providers/acme/contact", data=contact_form(client))
    assert response.status_code == 500
    assert _messages(app) == []
    with app.app_context():
        assert db.session.scalars(select(OutboxMessage)).all() == []


def test_the_sender_erases_its_message_from_the_link_in_its_copy(app, client, smtp):
    _provider(app)
    client.post("/providers/acme/contact", data=contact_form(client))
    link = link_in(smtp.to(SENDER)[0], "/contact/")
    page = html(client.get(link))
    token = page.select_one("main form input[name=csrf_token]")["value"]
    assert client.post(link, data={"csrf_token": token}).status_code == 302
    [message] = _messages(app)
    assert (message.sender_name, message.sender_email, message.body) == ("", "", "")
    assert message.erased_at is not None
    assert message.service_code == "hosting"  # still counted
    with app.app_context():
        assert db.session.scalars(select(OutboxMessage)).all() == []
    assert client.get(link).status_code == 404
    assert client.get(link[:-3] + "abc").status_code == 404


def test_purge_erases_messages_past_the_retention(app, client, runner, smtp):
    _provider(app)
    for _ in range(2):
        client.post("/providers/acme/contact", data=contact_form(client))
    days = app.config["CONTACT_RETENTION_DAYS"]
    with app.app_context():
        old = db.session.get(ContactMessage, 1)
        old.created_at = utcnow() - timedelta(days=days + 1)
        db.session.commit()
    result = runner.invoke(args=["purge"])
    assert "1 contact messages erased." in result.output, result.output
    old, recent = _messages(app)
    assert (old.body, old.sender_email) == ("", "")
    assert recent.body == TEXT and recent.sender_email == SENDER


def test_no_message_text_in_the_dashboard_the_logs_or_the_audit_log(
    app, client, auth, moderator, caplog
):
    _provider(app)
    caplog.set_level(logging.DEBUG)
    client.post("/providers/acme/contact", data=contact_form(client))
    auth.login()
    page = html(client.get("/moderation/dashboard?lang=en"))
    months = page.select_one("#chart-contact-months")
    assert [td.get_text(strip=True) for td in months.select("tbody td")][-1] == "1"
    services = page.select_one("#chart-contact-services")
    rows = {
        row.select_one("th").get_text(strip=True): row.select_one("td").get_text(strip=True)
        for row in services.select("tbody tr")
    }
    assert sorted(value for value in rows.values() if value != "0") == ["1"]
    audit_page = html(client.get("/moderation/audit")).get_text()
    everything = page.get_text() + caplog.text + audit_page
    for secret in ("Nextcloud pour 12", SENDER, "Association du Quartier", PRIVATE):
        assert secret not in everything
    with app.app_context():
        audit = db.session.scalars(select(AuditEntry)).all()
        assert all("Nextcloud pour 12" not in repr(vars(entry)) for entry in audit)


def test_the_provider_sees_how_many_messages_it_received_in_twelve_months(app, client, smtp):
    provider_id = _provider(app)
    for _ in range(2):
        client.post("/providers/acme/contact", data=contact_form(client))
    with app.app_context():
        old = db.session.get(ContactMessage, 1)
        old.created_at = utcnow() - timedelta(days=400)
        db.session.commit()
        with app.test_request_context():
            edit = applications.edit_url(db.session.get(type(old.provider), provider_id))
    page = html(client.get(edit.removeprefix("http://localhost") + "?lang=en"))
    assert "1 message" in page.select_one(".messages-received").get_text()


def test_messages_are_in_the_backup_and_in_no_public_export(app, client, runner, tmp_path):
    _provider(app)
    client.post("/providers/acme/contact", data=contact_form(client))
    backup = tmp_path / "backup.json"
    assert runner.invoke(args=["export", str(backup)]).exit_code == 0
    assert TEXT in backup.read_text()
    for path in ("/export/providers.csv", "/export/providers.json", "/api/v1/providers",
                 "/feeds/providers.atom", "/sitemap.xml"):  # fmt: skip
        assert TEXT not in client.get(path).get_data(as_text=True), path
        assert SENDER not in client.get(path).get_data(as_text=True), path


@pytest.mark.parametrize("locale", ["fr", "en"])
def test_the_copy_is_written_in_the_sender_language(app, client, smtp, locale):
    _provider(app)
    client.get(f"/?lang={locale}")
    client.post("/providers/acme/contact", data=contact_form(client))
    copy = smtp.to(SENDER)[0]
    assert copy["Content-Language"] == locale
    assert body_of(copy).startswith("Bonjour") is (locale == "fr")


def test_an_erased_entry_leaves_its_messages_detached_and_counted(app, client, moderator):
    provider_id = _provider(app)
    client.post("/providers/acme/contact", data=contact_form(client))
    with app.test_request_context():
        removal = applications.request_removal(provider_id, "fr")
        moderation.approve(removal.id, moderator, removal.version)
    [message] = _messages(app)
    assert message.provider_id is None
    with app.app_context():
        assert contact_stats.build().total == 1


def test_the_privacy_page_lists_messages_with_the_real_retention(app, client):
    app.config["CONTACT_RETENTION_DAYS"] = 61
    text = html(client.get("/privacy?lang=en")).select_one("main").get_text(" ", strip=True)
    assert "If you write to a provider" in text
    assert "erased 2 months after sending" in text


def test_a_twin_committed_at_the_same_moment_is_given_back(app, monkeypatch):
    """Two posts of one form at once: both looked before either committed; the second
    commit meets the key's uniqueness and gives back the first message, with no email."""
    from directory.services import contact, written
    from directory.services.taxonomy import load_taxonomy

    provider_id = _provider(app)
    key = "k" * 32
    draft = contact.Draft("Asso", SENDER, "collectives", "hosting", TEXT, "fr")
    with app.test_request_context():
        first = contact.send(provider_id, draft, "10.0.0.1", load_taxonomy(), key)
        real, looks = written.sent_with, []

        def blind_first_look(model, k):
            looks.append(k)
            return None if len(looks) == 1 else real(model, k)

        monkeypatch.setattr(written, "sent_with", blind_first_look)
        again = contact.send(provider_id, draft, "10.0.0.1", load_taxonomy(), key)
        assert again.id == first.id
        assert len(looks) == 2  # the blind look, then the one after the refused commit
    assert len(_messages(app)) == 1
    with app.app_context():
        assert len(db.session.scalars(select(OutboxMessage)).all()) == 2
