"""Writing to a provider from its page: the form, its refusals, and what reaches whom."""

import json

import pytest
from sqlalchemy import func, select

from directory.extensions import db
from directory.models import ContactMessage, OutboxMessage
from tests.conftest import body_of, csrf_token, form_values, html
from tests.factories import make_provider

PRIVATE = "secret.owner@private.example.net"
SENDER = "bureau@asso-du-quartier.example.org"


@pytest.fixture
def acme(app):
    with app.app_context():
        return make_provider(
            slug="acme", name="Acme Hébergement", contact_email=PRIVATE, services=["hosting"]
        ).slug


def contact_form(client, slug="acme", **overrides) -> dict:
    data = {
        "csrf_token": csrf_token(client, f"/providers/{slug}/contact"),
        "sender_name": "Association du Quartier",
        "sender_email": SENDER,
        "audience": "small_associations",
        "service": "hosting",
        "body": "Bonjour, nous cherchons un hébergement Nextcloud pour 12 bénévoles.",
        "consent": "y",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_the_provider_page_links_to_its_contact_form(client, acme):
    page = html(client.get("/providers/acme"))
    link = page.select_one(".provider-side .contact a[href='/providers/acme/contact']")
    assert link is not None
    assert page.select_one(".provider-side") is page.select_one(".provider-layout > *")


def test_a_message_reaches_the_provider_with_the_association_as_reply_to(app, client, acme, smtp):
    response = client.post("/providers/acme/contact", data=contact_form(client))
    assert response.status_code == 302
    assert response.headers["Location"] == "/providers/acme/contact/sent"
    confirmation = html(client.get(response.headers["Location"]))
    assert "Acme Hébergement" in confirmation.select_one("main").get_text()

    [to_provider] = smtp.to(PRIVATE)
    assert to_provider["Reply-To"] == SENDER
    assert "Nextcloud pour 12 bénévoles" in body_of(to_provider)
    assert "Association du Quartier" in body_of(to_provider)
    [copy] = smtp.to(SENDER)
    assert copy["Reply-To"] is None
    assert "Nextcloud pour 12 bénévoles" in body_of(copy)
    assert PRIVATE not in copy.as_string()
    assert "/contact/" in body_of(copy)
    with app.app_context():
        message = db.session.scalars(select(ContactMessage)).one()
        assert (message.sender_email, message.service_code) == (SENDER, "hosting")
        assert message.audience_code == "small_associations"


def test_the_private_address_is_in_no_page_of_the_journey(client, acme, smtp):
    pages = [client.get("/providers/acme"), client.get("/providers/acme/contact")]
    pages.append(client.post("/providers/acme/contact", data=contact_form(client, consent=None)))
    pages.append(client.post("/providers/acme/contact", data=contact_form(client)))
    pages.append(client.get("/providers/acme/contact/sent"))
    pages.append(client.get("/api/v1/providers/acme"))
    for response in pages:
        assert PRIVATE not in response.get_data(as_text=True)
        assert "secret.owner" not in response.get_data(as_text=True)


def test_a_refused_message_keeps_everything_typed(app, client, acme, smtp):
    typed = contact_form(client, consent=None, service="training")
    response = client.post("/providers/acme/contact", data=typed)
    assert response.status_code == 400
    page = html(response)
    assert page.select_one(".error-summary a[href='#consent']") is not None
    form = page.select_one("main form")
    kept = dict(form_values(form))
    for field in ("sender_name", "sender_email", "audience", "service", "body"):
        assert kept[field] == typed[field], field
    assert page.select_one("#consent")["aria-describedby"].split() == [
        "consent-help",
        "consent-error",
    ]
    assert smtp.messages == []
    assert _count(app, ContactMessage) == 0


def test_errors_are_translated(client, acme):
    client.get("/?lang=en")
    english = html(client.post("/providers/acme/contact", data=contact_form(client, body="")))
    client.get("/?lang=fr")
    french = html(client.post("/providers/acme/contact", data=contact_form(client, body="")))
    assert english.select_one("#body-error").get_text(strip=True) == "This field is required."
    assert french.select_one("#body-error").get_text(strip=True) != "This field is required."


def test_the_honeypot_stores_and_sends_nothing(app, client, acme, smtp):
    data = contact_form(client, nickname="buy cheap watches")
    response = client.post("/providers/acme/contact", data=data)
    assert response.headers["Location"] == "/providers/acme/contact/sent"
    assert smtp.messages == []
    assert _count(app, ContactMessage) == 0
    assert _count(app, OutboxMessage) == 0


@pytest.mark.parametrize(
    ("links", "accepted"),
    [
        ("see https://a.example.org and www.b.example.org", True),
        ("https://a.example.org http://b.example.org www.c.example.org", False),
    ],
)
def test_messages_with_more_than_two_links_are_refused_with_the_reason(
    app, client, acme, links, accepted
):
    body = f"Bonjour, voici nos besoins : {links}"
    response = client.post("/providers/acme/contact", data=contact_form(client, body=body))
    assert (response.status_code == 302) is accepted
    if not accepted:
        error = html(response).select_one("#body-error").get_text(" ", strip=True)
        assert "3" in error and "2" in error
        assert html(response).select_one("#body").get_text().strip() == body


def test_a_message_longer_than_the_limit_is_refused(app, client, acme):
    body = "a" * (app.config["CONTACT_MAX_LENGTH"] + 1)
    response = client.post("/providers/acme/contact", data=contact_form(client, body=body))
    assert response.status_code == 400
    assert html(response).select_one("#body-error") is not None
    assert _count(app, ContactMessage) == 0


@pytest.mark.parametrize(
    "address", ["élodie@asso.example.org", "a@b.example.org\r\nBcc: x@evil.example", "a b@c.org"]
)
def test_an_address_that_cannot_go_in_a_header_is_refused(app, client, acme, address):
    response = client.post(
        "/providers/acme/contact", data=contact_form(client, sender_email=address)
    )
    assert response.status_code == 400
    assert html(response).select_one("#sender_email-error") is not None
    assert _count(app, OutboxMessage) == 0


def test_without_a_private_email_the_public_one_receives_the_messages(app, client, smtp):
    with app.app_context():
        make_provider(slug="open", contact_email=None, public_email="hello@open.example.org")
    response = client.post("/providers/open/contact", data=contact_form(client, slug="open"))
    assert response.status_code == 302
    assert smtp.to("hello@open.example.org")[0]["Reply-To"] == SENDER


def test_without_any_email_there_is_no_form_and_the_page_says_how_to_reach_it(app, client):
    with app.app_context():
        make_provider(
            slug="phone-only", contact_email=None, public_email=None, public_phone="02 98 00 00 00"
        )
    provider_page = html(client.get("/providers/phone-only"))
    assert provider_page.select_one("a[href='/providers/phone-only/contact']") is None
    page = html(client.get("/providers/phone-only/contact"))
    assert page.select_one("main form") is None
    assert page.select_one("main a[href^='tel:']") is not None
    response = client.post("/providers/phone-only/contact", data={"sender_name": "x"})
    assert response.status_code in (200, 400)
    assert _count(app, ContactMessage) == 0


def test_a_provider_can_show_only_the_form(app, client):
    with app.app_context():
        make_provider(
            slug="discreet",
            contact_email=PRIVATE,
            public_email="public@discreet.example.org",
            show_public_email=False,
        )
    response = client.get("/providers/discreet")
    assert "public@discreet.example.org" not in response.get_data(as_text=True)
    page = html(response)
    assert page.select_one("a[href='/providers/discreet/contact']") is not None
    json_ld = json.loads(page.select_one("script[type='application/ld+json']").string)
    assert "email" not in json_ld


def test_an_unpublished_provider_receives_no_message(app, client):
    with app.app_context():
        make_provider(slug="gone", contact_email=PRIVATE, published=False)
    assert client.get("/providers/gone/contact").status_code == 404


def test_the_same_form_posted_twice_sends_one_message(app, client, acme, smtp):
    form = html(client.get("/providers/acme/contact")).select_one("main form")
    data = dict(form_values(form))
    assert data["submission_key"]
    data.update(contact_form(client, csrf_token=data["csrf_token"]))
    answers = [client.post("/providers/acme/contact", data=data) for _ in range(2)]
    assert [a.headers["Location"] for a in answers] == ["/providers/acme/contact/sent"] * 2
    assert _count(app, ContactMessage) == 1
    assert len(smtp.messages) == 2  # the provider's and the copy, once
