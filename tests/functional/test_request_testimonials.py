"""Testimonials after a request to several providers: the daily job's invitation (once, for
the providers that said "we will answer"), the form's choice of provider, one testimonial
per provider, erasure from the link and with the request, moderation, reply and the mark."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from directory.extensions import db
from directory.models import ServiceRequest
from directory.models import Testimonial as Given
from directory.models import TestimonialState as State
from directory.models.provider import utcnow
from directory.services import request_answers, requests, testimonial_invitations, tokens
from directory.services.taxonomy import load_taxonomy
from tests.conftest import body_of, csrf_token, form_values, html, link_in
from tests.functional.test_requests import SENDER, _answer, four, private, send  # noqa: F401
from tests.functional.test_testimonials import _decide, filled_form

# Four providers of video conferencing (alpha, beta, gamma, delta) in every test.
pytestmark = pytest.mark.usefixtures("four")

ANSWERS = {"alpha": "will_answer", "beta": "will_answer", "gamma": "cannot_help"}


@pytest.fixture
def logged_in(client, auth, moderator):
    assert auth.login().status_code == 302
    return client


def _answered(app, client, smtp, answers=ANSWERS):
    """One request to alpha, beta and gamma, answered through the providers' links."""
    assert send(client, ["alpha", "beta", "gamma"], region="53").status_code == 302
    provider_client = app.test_client()
    for slug, state in answers.items():
        latest = [m for m in smtp.to(private(slug)) if "/answer/" in body_of(m)][-1]
        path, form = _answer(provider_client, latest, state)
        assert provider_client.post(path, data=dict(form_values(form))).status_code == 200


def _backdate(app, days=43):
    """As if the requests were sent `days` ago (the CLI reads the clock)."""
    with app.app_context():
        for request in db.session.scalars(select(ServiceRequest)):
            request.created_at -= timedelta(days=days)
        db.session.commit()


def _invitations(smtp):
    return [m for m in smtp.to(SENDER) if "/testimonials/" in body_of(m)]


def _invited(app, client, smtp, answers=ANSWERS) -> str:
    _answered(app, client, smtp, answers)
    with app.test_request_context():
        assert testimonial_invitations.invite_due(utcnow() + timedelta(days=43)) == 1
    (invitation,) = _invitations(smtp)
    return link_in(invitation, "/testimonials/")


def _testify(client, path, provider, **overrides):
    data = filled_form(client, path, provider=provider, services="videoconference", **overrides)
    response = client.post(path, data=data)
    assert response.status_code == 302, html(response).select_one(".error-summary")


def _given(app) -> list[Given]:
    with app.app_context():
        found = db.session.scalars(select(Given).order_by(Given.id)).all()
        db.session.expunge_all()
        return found


def test_send_reminders_invites_once_for_the_providers_that_will_answer(app, runner, client,
                                                                         smtp):  # fmt: skip
    _answered(app, client, smtp)
    assert "0 invitations" in runner.invoke(args=["send-reminders"]).output
    _backdate(app, days=41)
    assert "0 invitations" in runner.invoke(args=["send-reminders"]).output
    _backdate(app, days=2)
    assert "1 invitations" in runner.invoke(args=["send-reminders"]).output
    assert "0 invitations" in runner.invoke(args=["send-reminders"]).output
    (invitation,) = _invitations(smtp)
    text = body_of(invitation)
    assert "Alpha Visio" in text and "Beta Visio" in text
    assert "Gamma Visio" not in text
    for slug in ("alpha", "beta", "gamma", "delta"):
        assert private(slug) not in invitation.as_string()
    with app.app_context():
        assert db.session.scalars(select(ServiceRequest.testimonial_invited_at)).one()


def test_no_invitation_without_a_will_answer_nor_for_a_withdrawn_or_erased_request(
    app, client, smtp
):
    _answered(app, client, smtp, {"alpha": "cannot_help"})  # no answer, or cannot help
    _answered(app, client, smtp, {"alpha": "will_answer"})  # then withdrawn
    _answered(app, client, smtp, {"beta": "will_answer"})  # then erased
    with app.test_request_context():
        ids = db.session.scalars(select(ServiceRequest.id).order_by(ServiceRequest.id)).all()
        request_answers.withdraw(ids[1], load_taxonomy())
        requests.erase(ids[2])
        assert testimonial_invitations.invite_due(utcnow() + timedelta(days=60)) == 0
    assert _invitations(smtp) == []


def test_the_form_offers_only_the_providers_that_will_answer(app, client, smtp):
    path = _invited(app, client, smtp)
    page = html(client.get(path + "?lang=en"))
    assert [i["value"] for i in page.select("input[name=provider]")] == ["alpha", "beta"]
    assert page.select_one("main h1").get_text(strip=True) == "Your testimonial"
    # The sender's name, the month and the région of the request fill the form in.
    assert page.select_one("#author_name")["value"] == "Association du Quartier"
    assert page.select_one("#region option[selected]")["value"] == "53"
    for hostile in ("gamma", "delta", "", "nobody"):
        refused = client.post(path, data=filled_form(client, path, provider=hostile))
        assert refused.status_code == 400, hostile
        assert html(refused).select_one("#provider-error") is not None
        assert html(refused).select_one("#body").get_text().strip().startswith("Migration")
    assert _given(app) == []


def test_one_provider_is_named_without_a_choice(app, client, smtp):
    path = _invited(app, client, smtp, {"beta": "will_answer"})
    page = html(client.get(path + "?lang=en"))
    assert page.select("input[name=provider]") == []
    assert page.select_one("main h1").get_text(strip=True) == "Your testimonial about Beta Visio"
    refused = client.post(path, data=filled_form(client, path, provider="alpha"))
    assert refused.status_code == 400
    _testify(client, path, provider=None)
    with app.app_context():
        given = db.session.scalars(select(Given)).one()
        assert given.provider.slug == "beta" and given.via_directory


def test_one_testimonial_per_provider_approved_replied_and_shown(app, client, smtp,
                                                                 auth, moderator):  # fmt: skip
    path = _invited(app, client, smtp)
    _testify(client, path, "alpha")
    page = html(client.get(path))
    assert len(page.select(".given-testimonial")) == 1
    assert page.select("input[name=provider][type=radio]") == []  # only beta is left
    refused = client.post(path, data=filled_form(client, path, provider="alpha"))
    assert refused.status_code == 400  # alpha has its testimonial already
    _testify(client, path, None, recommend="no", body="Pas de nouvelles après le devis.")
    page = html(client.get(path))
    assert page.select_one("main form #body") is None  # nothing left to write
    assert len(page.select(".given-testimonial")) == 2
    alpha, beta = _given(app)
    assert (alpha.request_recipient_id, beta.request_recipient_id) != (None, None)
    assert alpha.via_directory and beta.via_directory and alpha.state == State.PENDING

    auth.login()
    assert _decide(client, f"/moderation/testimonials/{alpha.id}", "approve").status_code == 302
    (told,) = [m for m in smtp.to(private("alpha")) if "/edit/" in body_of(m)]
    auth.logout()
    edit = link_in(told, "/edit/")
    reply_form = html(client.get(edit)).select_one(".testimonials form")
    data = dict(form_values(reply_form))
    data[f"reply-{alpha.id}-body"] = "Merci, ce fut un plaisir !"
    assert client.post(reply_form["action"], data=data).status_code == 302
    auth.login()
    assert _decide(client, f"/moderation/replies/{alpha.id}", "approve").status_code == 302
    auth.logout()

    for lang, mark in (("fr", "mise en relation via l’annuaire"),
                       ("en", "put in touch through the directory")):  # fmt: skip
        page = html(client.get(f"/providers/alpha?lang={lang}"))
        (shown,) = page.select(".testimonial")
        assert "Migration de nos documents" in shown.get_text()
        assert shown.select_one(".badge").get_text(strip=True).casefold() == mark.casefold()
        assert "ce fut un plaisir" in shown.select_one(".reply").get_text()
        assert SENDER not in page.get_text()
    assert html(client.get("/providers/beta")).select(".testimonial") == []  # still pending


def test_the_author_erases_one_testimonial_from_its_link(app, client, smtp, logged_in):
    path = _invited(app, client, smtp)
    _testify(client, path, "alpha")
    _testify(client, path, "beta")
    alpha, _beta = _given(app)
    _decide(logged_in, f"/moderation/testimonials/{alpha.id}", "approve")
    assert html(client.get("/providers/alpha")).select(".testimonial")
    page = html(client.get(path))
    (erase,) = [
        form
        for form in page.select(".given-testimonial form")
        if dict(form_values(form))["provider"] == "alpha"
    ]
    assert client.post(erase["action"], data=dict(form_values(erase))).status_code == 302
    assert [t.provider_id for t in _given(app)] == [_beta.provider_id]
    assert not html(client.get("/providers/alpha")).select(".testimonial")
    # The link offers alpha again; a forged provider erases nothing.
    again = html(client.get(path + "?lang=en"))
    assert again.select_one("main h1").get_text(strip=True) == "Your testimonial about Alpha Visio"
    data = {**dict(form_values(erase)), "provider": "gamma"}
    assert client.post(erase["action"], data=data).status_code == 302
    assert len(_given(app)) == 1


def test_erasing_the_request_keeps_the_published_testimonial_but_not_the_link(
    app, client, smtp, logged_in
):
    path = _invited(app, client, smtp)
    _testify(client, path, "alpha")
    (alpha,) = _given(app)
    _decide(logged_in, f"/moderation/testimonials/{alpha.id}", "approve")
    with app.app_context():
        requests.erase(db.session.scalars(select(ServiceRequest.id)).one())
    (kept,) = _given(app)
    assert kept.state == State.APPROVED and kept.request_recipient_id is None
    assert html(client.get("/providers/alpha")).select(".testimonial")
    assert client.get(path).status_code == 404


def test_other_links_of_the_request_do_not_open_the_form(app, client, smtp):
    path = _invited(app, client, smtp)
    assert client.get(path).status_code == 200
    with app.app_context():
        request = db.session.scalars(select(ServiceRequest)).one()
        others = (
            tokens.testimonial_token(request.id, request.reference),  # a contact's salt
            tokens.request_token(request.id, request.reference),  # its private page
            tokens.request_testimonial_token(request.id, "0" * 32),  # a wrong reference
        )
    for token in others:
        assert client.get(f"/testimonials/{token}").status_code == 404
        erase = {"csrf_token": csrf_token(client, path), "provider": "alpha"}
        assert client.post(f"/testimonials/{token}/erase", data=erase).status_code == 404
