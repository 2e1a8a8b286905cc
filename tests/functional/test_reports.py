"""Reporting a problem with an entry: the form on its page, grouping, the queue's decisions."""

from datetime import timedelta

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from directory import search
from directory.extensions import db
from directory.models import (
    AuditEntry,
    Provider,
    Report,
    ReportMessage,
    ReportReason,
    ReportState,
)
from directory.search import SearchRequest
from directory.services.reports import REASONS
from tests.conftest import body_of, csrf_token, form_values, html, link_in, make_app
from tests.factories import make_provider

PRIVATE = "secret.owner@private.example.net"
REPORTER = "visiteur@example.org"


@pytest.fixture
def acme(app):
    with app.app_context():
        return make_provider(slug="acme", name="Acme Hébergement", contact_email=PRIVATE).id


@pytest.fixture
def logged_in(client, auth, moderator):
    assert auth.login().status_code == 302
    return client


def report_form(client, slug="acme", **overrides) -> dict:
    data = {
        "csrf_token": csrf_token(client, f"/providers/{slug}/report"),
        "reason": "wrong_information",
        "body": "Le numéro de téléphone ne répond plus.",
        "email": REPORTER,
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def _report(client, slug="acme", **overrides):
    response = client.post(f"/providers/{slug}/report", data=report_form(client, slug, **overrides))
    assert response.status_code == 302, html(response).select_one(".error-summary")
    assert response.headers["Location"] == f"/providers/{slug}/report/sent"
    return response


def _reports(app) -> list[Report]:
    with app.app_context():
        found = list(db.session.scalars(select(Report).order_by(Report.id)))
        for report in found:
            db.session.expunge(report)
        return found


def _emails(app) -> list[str | None]:
    with app.app_context():
        return list(db.session.scalars(select(ReportMessage.email).order_by(ReportMessage.id)))


def _decide(client, report_id, decision, message="", version=None):
    path = f"/moderation/reports/{report_id}"
    page = html(client.get(path))
    return client.post(
        f"{path}/{decision}",
        data={
            "csrf_token": page.select_one("input[name=csrf_token]")["value"],
            "version": version or page.select_one("input[name=version]")["value"],
            "message": message,
        },
    )


def _searchable(app, text) -> list[int]:
    with app.app_context():
        return [hit.provider_id for hit in search.search(SearchRequest(text=text)).hits]


def test_every_provider_page_links_to_its_report_form(client, acme):
    page = html(client.get("/providers/acme"))
    assert page.select_one(".report-link a[href='/providers/acme/report']") is not None
    form = html(client.get("/providers/acme/report")).select_one("main form")
    reasons = [field["value"] for field in form.select("input[name=reason]")]
    assert reasons == ["gone", "wrong_information", "charter", "duplicate", "other"]


def test_a_report_reaches_the_queue_and_repeats_are_grouped_with_a_count(app, client, acme):
    _report(client)
    _report(client, email=None, body="")
    _report(client, reason="gone", email=None, body="")
    reports = _reports(app)
    assert [(r.reason.value, r.state) for r in reports] == [
        ("wrong_information", ReportState.OPEN),
        ("gone", ReportState.OPEN),
    ]
    with app.app_context():
        assert db.session.scalar(select(func.count(ReportMessage.id))) == 3


def test_the_queue_lists_reports_with_applications_and_filters_by_kind(
    app, client, acme, logged_in
):
    _report(client)
    _report(client, email=None)
    queue = html(logged_in.get("/moderation/?lang=en"))
    rows = queue.select("table.queue tbody tr")
    assert len(rows) == 1
    link = rows[0].select_one("a")
    assert link["href"] == f"/moderation/reports/{_reports(app)[0].id}"
    assert "(2 visitors)" in rows[0].get_text()
    assert not html(logged_in.get("/moderation/?kind=new")).select("table.queue tbody tr")
    assert html(logged_in.get("/moderation/?kind=report")).select("table.queue tbody tr")
    # The header's badge counts reports waiting for a moderator too.
    assert queue.select_one(".count-badge").get_text() == "1 pending"


def test_moderators_see_the_open_reports_on_the_provider_page(app, client, acme, auth, moderator):
    _report(client)
    assert html(client.get("/providers/acme")).select_one(".report-link .badge") is None
    auth.login()
    badge = html(client.get("/providers/acme?lang=en")).select_one(".report-link .badge")
    assert badge.get_text(strip=True) == "1 open report"
    assert badge["href"] == "/moderation/?kind=report"


def test_a_refused_report_keeps_what_was_typed(app, client, acme):
    typed = report_form(client, reason="other", body="", email="not an address")
    response = client.post("/providers/acme/report", data=typed)
    assert response.status_code == 400
    page = html(response)
    assert page.select_one(".error-summary a[href='#body']") is not None
    assert page.select_one(".error-summary a[href='#email']") is not None
    kept = dict(form_values(page.select_one("main form")))
    assert kept["reason"] == "other"
    assert kept["email"] == "not an address"
    assert _reports(app) == []


@pytest.mark.parametrize(
    "body",
    ["x" * 2001, "https://a.example.org http://b.example.org www.c.example.org"],
)
def test_long_or_linky_reports_are_refused_with_the_reason(app, client, acme, body):
    response = client.post("/providers/acme/report", data=report_form(client, body=body))
    assert response.status_code == 400
    assert html(response).select_one("#body-error").get_text(strip=True)
    assert html(response).select_one("#body").get_text().strip() == body
    assert _reports(app) == []


def test_the_honeypot_stores_nothing(app, client, acme):
    _report(client, nickname="cheap watches")
    assert _reports(app) == []


def test_the_same_form_posted_twice_is_one_report(app, client, acme):
    data = report_form(client)
    data["submission_key"] = "k" * 32
    for _ in range(2):
        assert client.post("/providers/acme/report", data=data).status_code == 302
    assert len(_emails(app)) == 1


def test_an_unpublished_entry_cannot_be_reported(app, client):
    with app.app_context():
        make_provider(slug="gone", published=False)
    assert client.get("/providers/gone/report").status_code == 404


def test_reports_are_limited_per_address_and_email_across_workers(tmp_path):
    app = make_app(tmp_path, RATELIMIT_ENABLED=True, REPORT_RATE_LIMIT="1 per hour")
    with app.app_context():
        make_provider(slug="acme", contact_email=PRIVATE)
    client = app.test_client()

    def post(address, email):
        data = report_form(client, email=email)
        return client.post(
            "/providers/acme/report", data=data, environ_base={"REMOTE_ADDR": address}
        )

    assert post("10.0.0.1", "one@example.org").status_code == 302
    assert post("10.0.0.2", "one@example.org").status_code == 429
    refused = post("10.0.0.1", None)
    assert refused.status_code == 429
    assert html(refused).select_one("#body").get_text().strip().startswith("Le numéro")
    assert post("10.0.0.3", None).status_code == 302


def test_closing_needs_a_note_and_deletes_the_reporters_emails(app, client, acme, logged_in):
    _report(client)
    (report,) = _reports(app)
    refused = _decide(logged_in, report.id, "close", "")
    assert refused.status_code == 400
    assert html(refused).select_one("#message-error") is not None
    assert _emails(app) == [REPORTER]

    response = _decide(logged_in, report.id, "close", "Numéro vérifié, il est juste.")
    assert response.status_code == 302
    (closed,) = _reports(app)
    assert closed.state == ReportState.CLOSED
    assert closed.note == "Numéro vérifié, il est juste."
    assert _emails(app) == [None]
    # A new report of the same reason opens a new item.
    _report(client)
    assert [r.state for r in _reports(app)] == [ReportState.CLOSED, ReportState.OPEN]
    with app.app_context():
        actions = list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
    assert "report.closed" in actions


def test_asking_the_provider_emails_its_private_address_with_its_edit_link(
    app, client, acme, logged_in, smtp
):
    _report(client)
    (report,) = _reports(app)
    response = _decide(logged_in, report.id, "ask", "Votre numéro semble faux.")
    assert response.status_code == 302
    (email,) = smtp.to(PRIVATE)
    assert "Votre numéro semble faux." in body_of(email)
    with app.test_request_context(), force_locale("fr"):
        reason = str(REASONS[ReportReason.WRONG_INFORMATION])
    assert reason in body_of(email)
    assert REPORTER not in body_of(email)
    assert html(client.get(link_in(email, "/edit/"))).select_one("main form") is not None
    assert _reports(app)[0].state == ReportState.ASKED
    # The report still waits to be closed, but no longer counts as waiting for a moderator.
    queue = html(logged_in.get("/moderation/"))
    assert queue.select("table.queue tbody tr")
    assert queue.select_one(".count-badge").get_text() == "0 en attente"


def test_the_edit_page_tells_the_provider_what_was_reported_never_who(
    app, client, acme, logged_in, smtp
):
    _report(client, body="Le 01 02 03 04 05 ne répond plus.")
    (report,) = _reports(app)
    assert _decide(logged_in, report.id, "ask", "Pouvez-vous vérifier ?").status_code == 302
    (email,) = smtp.to(PRIVATE)
    page = html(client.get(link_in(email, "/edit/") + "?lang=en"))
    notice = page.select_one(".reported")
    assert notice is not None
    assert "Wrong information (phone, address, website…)" in notice.get_text()
    assert REPORTER not in str(page) and "01 02 03 04 05" not in str(page)
    # Closed: the notice goes.
    assert _decide(logged_in, report.id, "close", "Corrigé.").status_code == 302
    assert html(client.get(link_in(email, "/edit/"))).select_one(".reported") is None


def test_unpublishing_takes_the_entry_out_until_the_provider_confirms(
    app, client, acme, logged_in, smtp
):
    _report(client, reason="gone")
    (report,) = _reports(app)
    assert _searchable(app, "Acme") == [acme]
    assert _decide(logged_in, report.id, "unpublish", "Existez-vous encore ?").status_code == 302
    assert client.get("/providers/acme").status_code == 404
    assert _searchable(app, "Acme") == []

    # The provider confirms through the link of its email: the entry is back, and indexed.
    (email,) = smtp.to(PRIVATE)
    edit = link_in(email, "/edit/")
    client.post(f"{edit}/confirm", data={"csrf_token": csrf_token(client, edit)})
    assert client.get("/providers/acme").status_code == 200
    assert _searchable(app, "Acme") == [acme]
    with app.app_context():
        assert db.session.get(Provider, acme).published


def test_a_decision_on_a_report_already_decided_gets_the_conflict_message(
    app, client, acme, logged_in
):
    _report(client)
    (report,) = _reports(app)
    assert _decide(logged_in, report.id, "close", "Réglé.").status_code == 302
    response = _decide(logged_in, report.id, "ask", "Trop tard ?", version=str(report.version))
    assert response.status_code == 302
    assert response.headers["Location"] == f"/moderation/reports/{report.id}"
    page = html(logged_in.get(response.headers["Location"]))
    assert "vient de traiter" in page.select_one(".flash-warning").get_text()
    assert page.select_one("form.decision") is None


def test_a_report_page_lists_what_visitors_wrote_and_an_unknown_decision_is_404(
    app, client, acme, logged_in
):
    _report(client)
    (report,) = _reports(app)
    page = html(logged_in.get(f"/moderation/reports/{report.id}"))
    assert "ne répond plus" in page.select_one(".messages").get_text()
    buttons = [b["formaction"].rsplit("/", 1)[1] for b in page.select("form.decision button")]
    assert buttons == ["ask", "unpublish", "close"]
    assert _decide(logged_in, report.id, "approve").status_code == 404
    assert logged_in.get("/moderation/reports/999").status_code == 404


def test_erasing_an_entry_erases_its_reports(app, client, acme, moderator):
    _report(client)
    with app.test_request_context():
        from directory.services import applications, moderation

        removal = applications.request_removal(acme, "fr")
        moderation.approve(removal.id, moderator, removal.version)
    assert _reports(app) == []
    assert _emails(app) == []


def test_the_audit_log_tells_what_happened_to_a_report(app, client, acme, logged_in):
    _report(client)
    (report,) = _reports(app)
    _decide(logged_in, report.id, "ask", "Merci de vérifier.")
    page = html(logged_in.get(f"/moderation/audit?provider={acme}&lang=en"))
    rows = [row.get_text(" ", strip=True) for row in page.select("tbody tr")]
    assert any("Provider asked to confirm or correct" in row for row in rows), rows
    assert any("Problem reported by a visitor" in row and "a visitor" in row for row in rows)
    assert REPORTER not in page.get_text()


def test_purge_deletes_the_emails_of_old_reports_left_open(app, client, acme, runner):
    _report(client)
    assert "0 emails of reports erased." in runner.invoke(args=["purge"]).output
    with app.app_context():
        message = db.session.scalars(select(ReportMessage)).one()
        message.created_at -= timedelta(days=app.config["CONTACT_RETENTION_DAYS"] + 1)
        db.session.commit()
    assert "1 emails of reports erased." in runner.invoke(args=["purge"]).output
    assert _emails(app) == [None]
    assert _reports(app)[0].state == ReportState.OPEN


def test_the_queue_costs_the_same_statements_for_1_and_10_reported_entries(app, client, logged_in):
    from tests.functional.test_moderation_queries import counted

    def cost() -> int:
        logged_in.get("/moderation/")
        with counted(app) as statements:
            page = html(logged_in.get("/moderation/"))
        assert page.select("table.queue tbody tr")
        return len(statements)

    with app.app_context():
        slugs = [make_provider(slug=f"signal-{n}").slug for n in range(10)]
    _report(client, slugs[0], email=None)
    one = cost()
    for slug in slugs[1:]:
        _report(client, slug, email=None)
    assert cost() == one
