"""Requests to several providers as data: limits across workers, the outbox after a crash,
two tabs at once, retention, counts for moderators and providers, backups."""

import logging
from datetime import timedelta

from sqlalchemy import select

from directory import create_app
from directory.extensions import db
from directory.models import AuditEntry, Provider, RequestRecipient, ServiceRequest
from directory.models.provider import utcnow
from directory.services import applications, mail, request_stats
from tests.conftest import body_of, html, link_in, make_app, worker_config
from tests.factories import make_provider
from tests.functional.test_requests import SENDER, TEXT, new_url, private, request_form, send


def _providers(app, slugs=("alpha", "beta", "gamma", "delta")):
    with app.app_context():
        return [
            make_provider(
                slug=slug,
                name=f"{slug.title()} Visio",
                contact_email=private(slug),
                services=["videoconference"],
                regions=["53"],
            ).id
            for slug in slugs
        ]


def _confirm(client, email, state):
    """Opens an answer link of a provider's email: (the POST path, the confirm form data)."""
    word = next(w for w in body_of(email).split() if "/answer/" in w and w.endswith(state))
    path = "/" + word.split("/", 3)[3]
    form = html(client.get(path)).select_one("main form")
    return path, {field["name"]: field["value"] for field in form.select("input[name]")}


def test_the_limit_holds_across_two_apps_on_one_database_and_keeps_the_text(tmp_path):
    first = make_app(tmp_path, RATELIMIT_ENABLED=True, CONTACT_RATE_LIMIT="2 per hour")
    _providers(first)
    second = create_app(
        worker_config(first, RATELIMIT_ENABLED=True, CONTACT_RATE_LIMIT="2 per hour")
    )
    url = new_url(["alpha", "beta"])
    codes = []
    for app in (first, second, second):
        client = app.test_client()
        codes.append(client.post(url, data=request_form(client, url)).status_code)
    assert codes == [302, 302, 429]
    page = html(codes and client.post(url, data=request_form(client, url, body=TEXT + "!")))
    assert page.select_one(".error-summary li").get_text(strip=True)
    assert page.select_one("#body").get_text().strip() == TEXT + "!"
    with first.app_context():
        assert len(db.session.scalars(select(ServiceRequest)).all()) == 2
    second.extensions["directory.search"].index.close()


def test_emails_left_by_a_process_killed_after_the_commit_are_sent_once(
    app, client, smtp, monkeypatch
):
    _providers(app)
    monkeypatch.setattr(mail, "_deliver_committed", lambda app, session: None)
    assert send(client, ["alpha", "beta", "gamma"]).status_code == 302
    assert smtp.messages == []
    monkeypatch.undo()
    restarted = create_app(worker_config(app, MAIL_PORT=app.config["MAIL_PORT"]))
    runner = restarted.test_cli_runner()
    assert "4 emails sent; 0 waiting." in runner.invoke(args=["send-outbox"]).output
    assert runner.invoke(args=["send-outbox"]).output.startswith("0 emails sent")
    recipients = [m["To"] for m in smtp.messages]
    assert sorted(recipients) == sorted([SENDER, *(private(s) for s in ("alpha", "beta", "gamma"))])
    assert smtp.to(private("alpha"))[0]["Reply-To"] == SENDER
    restarted.extensions["directory.search"].index.close()


def test_two_tabs_answering_at_once_one_wins_the_other_is_told(app, client, smtp):
    _providers(app)
    send(client, ["alpha", "beta"])
    email = smtp.to(private("alpha"))[0]
    tab_one, tab_two = app.test_client(), app.test_client()
    yes_path, yes = _confirm(tab_one, email, "will_answer")
    no_path, no = _confirm(tab_two, email, "cannot_help")
    assert tab_one.post(yes_path, data=yes).status_code == 200
    late = tab_two.post(no_path + "?lang=en", data=no)
    assert late.status_code == 409
    assert "Will answer you" in html(late).select_one(".notice").get_text()
    with app.app_context():
        states = db.session.scalars(select(RequestRecipient.state).order_by(RequestRecipient.id))
        assert list(states) == ["will_answer", "sent"]
    # The same link posted again changes nothing and says so.
    again = html(tab_one.post(yes_path + "?lang=en", data=yes))
    assert "already recorded" in again.select_one(".notice").get_text()


def test_an_answer_posted_after_the_withdrawal_says_the_request_is_withdrawn(app, client, smtp):
    _providers(app)
    send(client, ["alpha"])
    provider = app.test_client()
    path, data = _confirm(provider, smtp.to(private("alpha"))[0], "will_answer")
    mine = link_in(smtp.to(SENDER)[0], "/requests/")
    token = html(client.get(mine)).select_one("input[name=csrf_token]")["value"]
    client.post(mine + "/withdraw", data={"csrf_token": token})
    response = provider.post(path + "?lang=en", data=data)
    assert response.status_code == 200
    assert "withdrawn" in html(response).select_one(".notice").get_text()
    with app.app_context():
        assert db.session.scalars(select(RequestRecipient.state)).one() == "withdrawn"
    # Withdrawn twice (two tabs): told, nothing sent again.
    sent = len(smtp.messages)
    client.post(mine + "/withdraw", data={"csrf_token": token})
    assert len(smtp.messages) == sent


def test_purge_erases_requests_past_the_retention(app, client, runner, smtp):
    _providers(app)
    send(client, ["alpha"])
    send(client, ["beta"])
    days = app.config["CONTACT_RETENTION_DAYS"]
    with app.app_context():
        old = db.session.get(ServiceRequest, 1)
        old.created_at = utcnow() - timedelta(days=days + 1)
        db.session.commit()
    result = runner.invoke(args=["purge"])
    assert "1 requests to several providers erased." in result.output, result.output
    with app.app_context():
        old, recent = db.session.scalars(select(ServiceRequest).order_by(ServiceRequest.id))
        assert (old.body, old.sender_email, old.sender_name) == ("", "", "")
        assert old.service_code == "videoconference"
        assert recent.body == TEXT and recent.sender_email == SENDER


def test_dashboard_figures_are_computed_on_built_data(app, client, auth, moderator, caplog):
    alpha, beta, gamma, delta = _providers(app)
    caplog.set_level(logging.DEBUG)
    now = utcnow()
    with app.app_context():

        def request(days_ago, answers, region="53", service="videoconference"):
            made = ServiceRequest(reference=f"r{len(answers)}{days_ago}x", sender_name="Asso",
                                  sender_email=SENDER, audience_code="collectives",
                                  service_code=service, region_code=region, body=TEXT,
                                  created_at=now - timedelta(days=days_ago))  # fmt: skip
            for number, (provider_id, answered_after) in enumerate(answers):
                sent_at = now - timedelta(days=days_ago)
                made.recipients.append(
                    RequestRecipient(
                        reference=f"{provider_id}-{days_ago}-{number}",
                        provider_id=provider_id,
                        sent_at=sent_at,
                        state="will_answer" if answered_after is not None else "sent",
                        answered_at=None if answered_after is None
                        else sent_at + timedelta(days=answered_after),
                    )
                )  # fmt: skip
            db.session.add(made)

        # alpha answers in 1 day, beta in 10 days, gamma never (3 requests), delta is new.
        request(40, [(alpha, 1), (beta, 10), (gamma, None)])
        request(20, [(alpha, 2), (gamma, None)], region=None, service="hosting")
        request(10, [(gamma, None)])
        request(2, [(delta, None)])
        db.session.commit()
        figures = request_stats.build(now)
        assert figures.total == 4
        assert sum(c.value for c in figures.per_month) == 4
        assert {c.key.code: c.value for c in figures.per_service if c.value} == {
            "videoconference": 3, "hosting": 1,
        }  # fmt: skip
        assert {c.key.code: c.value for c in figures.per_region if c.value} == {"53": 3}
        # Judged: alpha ×2 (in time), beta (late), gamma ×3 (never); delta not yet 7 days.
        assert figures.answered_in_time == 2 / 6
        assert [(s.slug, s.received) for s in figures.silent] == [("gamma", 3)]
        assert request_stats.received(alpha, now) == (2, 2)
        with app.test_request_context():
            edit = applications.edit_url(db.session.get(Provider, gamma))
    auth.login()
    page = html(client.get("/moderation/dashboard?lang=en"))
    section = page.select_one(".dashboard-requests")
    assert [a.get_text() for a in section.select(".silent-providers a")] == ["Gamma Visio"]
    months = section.select_one("#chart-requests-months")
    assert sum(int(td.get_text(strip=True)) for td in months.select("tbody td")) == 4
    everything = page.get_text() + caplog.text + html(client.get("/moderation/audit")).get_text()
    for secret in (TEXT, SENDER, private("gamma")):
        assert secret not in everything
    with app.app_context():
        audit = db.session.scalars(select(AuditEntry)).all()
        assert all(TEXT not in repr(vars(entry)) for entry in audit)
    edit_page = html(app.test_client().get(edit.removeprefix("http://localhost") + "?lang=en"))
    assert "3 requests" in edit_page.select_one(".requests-received").get_text()


def test_requests_are_in_the_backup_and_in_no_public_export(app, client, runner, tmp_path, smtp):
    _providers(app)
    send(client, ["alpha"])
    backup = tmp_path / "backup.json"
    assert runner.invoke(args=["export", str(backup)]).exit_code == 0
    assert TEXT in backup.read_text()
    for path in ("/export/providers.csv", "/export/providers.json", "/api/v1/providers",
                 "/feeds/providers.atom", "/sitemap.xml", "/search?q=quitter+Zoom"):  # fmt: skip
        body = client.get(path).get_data(as_text=True)
        assert TEXT not in body, path
        assert SENDER not in body, path


def test_the_privacy_page_lists_requests_with_the_real_retention(app, client):
    app.config["CONTACT_RETENTION_DAYS"] = 61
    text = html(client.get("/privacy?lang=en")).select_one("main").get_text(" ", strip=True)
    assert "If you send a request to several providers" in text
    assert (
        "Requests to several providers: your name, email, answers and message are erased 2 months"
        in text
    )
