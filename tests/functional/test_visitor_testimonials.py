"""Testimonials of visitors without a contact through the directory: the link on a provider
page, the email first (CSRF, honeypot, limits), the expiring link to the same form, no
mark, the private email (stored, never shown, erased with the testimonial), and purge."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from directory.extensions import db
from directory.models import Testimonial as Given
from directory.models import TestimonialState as State
from directory.models import VisitorInvitation
from tests.conftest import csrf_token, form_values, html, link_in, make_app
from tests.factories import make_provider
from tests.functional.test_contact import PRIVATE
from tests.functional.test_testimonials import _decide
from tests.functional.test_testimonials import _testify as _testify_invited

VISITOR = "benevole@asso-des-jardins.example.org"
ASK = "/providers/acme/testimonial"


@pytest.fixture
def acme(app):
    with app.app_context():
        return make_provider(
            slug="acme", name="Acme Hébergement", contact_email=PRIVATE, services=["hosting"]
        ).id


def _ask(client, email=VISITOR, **overrides):
    data = {"csrf_token": csrf_token(client, ASK), "email": email, **overrides}
    return client.post(ASK, data=data)


def _link(client, smtp, email=VISITOR) -> str:
    assert _ask(client, email).status_code == 302
    return link_in(smtp.to(email)[-1], "/testimonials/")


def _testify(client, path, author_name="Les Jardins Partagés"):
    """A visitor has no name filled in for it: it types its association's."""
    return _testify_invited(client, path, author_name=author_name)


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_a_provider_page_links_to_the_form_that_asks_an_email(client, acme):
    page = html(client.get("/providers/acme?lang=en"))
    link = page.select_one(".testimonial-link a")
    assert link["href"] == ASK and link.get_text(strip=True) == "Leave a testimonial"
    form = html(client.get(ASK)).select_one("main form")
    fields = {name for name, _value in form_values(form)}
    assert fields == {"csrf_token", "email", "nickname"}


def test_the_emailed_link_opens_the_form_and_the_testimonial_has_no_mark(
    app, client, acme, smtp, auth, moderator
):
    response = _ask(client)
    assert response.headers["Location"] == "/providers/acme/testimonial/sent"
    assert html(client.get(response.headers["Location"])).select_one("main h1")
    (email,) = smtp.to(VISITOR)
    path = link_in(email, "/testimonials/")
    assert VISITOR not in path and "benevole" not in path
    form = html(client.get(path)).select_one("main form.testimonial-form")
    assert form.select("input[name=provider]") == []
    assert form.select_one("#author_name").get("value", "") == ""
    _testify(client, path, author_name="Les Jardins Partagés")
    with app.app_context():
        given = db.session.scalars(select(Given)).one()
        assert given.author_email == VISITOR and not given.via_directory
        assert given.contact_message_id is None and given.request_recipient_id is None
        given_id = given.id

    auth.login()
    assert VISITOR not in client.get(f"/moderation/testimonials/{given_id}").get_data(as_text=True)
    assert _decide(client, f"/moderation/testimonials/{given_id}", "approve").status_code == 302
    auth.logout()
    page = html(client.get("/providers/acme"))
    (shown,) = page.select(".testimonial")
    assert "Les Jardins Partagés" in shown.get_text()
    assert shown.select_one(".badge") is None  # not put in touch through the directory
    for public in ("/providers/acme", "/api/v1/providers/acme", "/export/providers.json",
                   "/feeds/providers.atom", "/export/providers.csv"):  # fmt: skip
        assert VISITOR not in client.get(public).get_data(as_text=True), public
    assert (
        client.get("/api/v1/providers/acme").get_json()["testimonials"][0]["via_directory"] is False
    )


def test_one_testimonial_per_email_a_new_link_shows_it_and_erases_it(app, client, acme, smtp):
    path = _link(client, smtp)
    _testify(client, path)
    again = _link(client, smtp)
    assert again != path
    page = html(client.get(again))
    assert page.select_one("main form.testimonial-form") is None
    erase = page.select_one(".given-testimonial form")
    assert client.post(erase["action"], data=dict(form_values(erase))).status_code == 302
    assert _count(app, Given) == 0  # the email went with it
    assert html(client.get(again)).select_one("main form.testimonial-form") is not None
    # Another email is another visitor.
    _testify(client, _link(client, smtp, "autre@example.org"))
    assert _count(app, Given) == 1


def test_bad_emails_and_robots_get_no_link(app, client, acme, smtp):
    refused = _ask(client, "pas-une-adresse")
    assert refused.status_code == 400
    page = html(refused)
    assert page.select_one("#email-error") is not None
    assert page.select_one("#email")["value"] == "pas-une-adresse"
    assert _ask(client, "").status_code == 400
    assert _ask(client, nickname="Bot").status_code == 302
    assert smtp.messages == []
    assert _count(app, VisitorInvitation) == 0
    with app.app_context():
        make_provider(slug="gone", published=False)
    assert client.get("/providers/gone/testimonial").status_code == 404


def test_the_link_expires_and_purge_deletes_the_waiting_email(app, client, acme, smtp, runner):
    path = _link(client, smtp)
    assert client.get(path).status_code == 200
    app.config["TESTIMONIAL_LINK_MAX_AGE"] = -1
    assert client.get(path).status_code == 404
    app.config["TESTIMONIAL_LINK_MAX_AGE"] = 7 * 24 * 3600
    with app.app_context():
        for invitation in db.session.scalars(select(VisitorInvitation)):
            invitation.created_at -= timedelta(days=8)
        db.session.commit()
    result = runner.invoke(args=["purge"])
    assert "1 expired testimonial links of visitors deleted." in result.output
    assert _count(app, VisitorInvitation) == 0
    assert client.get(path).status_code == 404


def test_links_are_limited_per_address_and_email(tmp_path):
    app = make_app(tmp_path, RATELIMIT_ENABLED=True, TESTIMONIAL_RATE_LIMIT="1 per hour")
    with app.app_context():
        make_provider(slug="acme", contact_email=PRIVATE)
    client = app.test_client()

    def post(address, email):
        data = {"csrf_token": csrf_token(client, ASK), "email": email}
        return client.post(ASK, data=data, environ_base={"REMOTE_ADDR": address})

    assert post("10.0.0.1", "one@example.org").status_code == 302
    assert post("10.0.0.2", "one@example.org").status_code == 429
    refused = post("10.0.0.1", "two@example.org")
    assert refused.status_code == 429
    assert html(refused).select_one("#email")["value"] == "two@example.org"
    assert post("10.0.0.3", "three@example.org").status_code == 302


def test_the_privacy_page_says_what_is_kept(client):
    text = html(client.get("/privacy?lang=en")).get_text()
    assert "without having written to it through the directory" in text
    assert "Visitors' testimonials" in text


def test_a_rejected_testimonial_is_not_shown_and_its_link_says_so(
    app, client, acme, smtp, auth, moderator
):
    path = _link(client, smtp)
    _testify(client, path)
    auth.login()
    with app.app_context():
        given_id = db.session.scalars(select(Given.id)).one()
    _decide(client, f"/moderation/testimonials/{given_id}", "reject", "Publicité.")
    auth.logout()
    assert not html(client.get("/providers/acme")).select(".testimonial")
    with app.app_context():
        assert db.session.get(Given, given_id).state == State.REJECTED
    said = html(client.get(path + "?lang=en")).select_one(".given-testimonial").get_text()
    assert "A moderator decided not to publish it." in said
