"""Testimonials: the invitation after a contact, the association's form, moderation, the
provider's one reply, the provider page and open data."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from directory.extensions import db
from directory.models import ContactMessage
from directory.models import Testimonial as Given
from directory.models import TestimonialState as State
from directory.models.provider import utcnow
from directory.services import testimonial_invitations
from tests.conftest import body_of, csrf_token, form_values, html, link_in
from tests.factories import make_provider
from tests.functional.test_contact import PRIVATE, SENDER, contact_form


@pytest.fixture
def acme(app):
    with app.app_context():
        return make_provider(
            slug="acme", name="Acme Hébergement", contact_email=PRIVATE, services=["hosting"]
        ).id


@pytest.fixture
def logged_in(client, auth, moderator):
    assert auth.login().status_code == 302
    return client


def _invite(app, client, smtp, days=43) -> str:
    """A message to acme, then the daily job `days` later; the invitation link's path."""
    assert client.post("/providers/acme/contact", data=contact_form(client)).status_code == 302
    with app.test_request_context():
        assert testimonial_invitations.invite_due(utcnow() + timedelta(days=days)) == 1
    (invitation,) = [m for m in smtp.to(SENDER) if "/testimonials/" in body_of(m)]
    return link_in(invitation, "/testimonials/")


def filled_form(client, path, **overrides) -> dict:
    page = html(client.get(path))
    data = dict(form_values(page.select_one("main form.testimonial-form")))
    data.update(
        {
            "services": "hosting",
            "recommend": "yes",
            "body": "Migration de nos documents sans souci, bénévoles formés en une soirée.",
        }
    )
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def _testify(client, path, **overrides):
    response = client.post(path, data=filled_form(client, path, **overrides))
    assert response.status_code == 302, html(response).select_one(".error-summary")
    return response


def _only(app) -> Given:
    with app.app_context():
        testimonial = db.session.scalars(select(Given)).one()
        db.session.expunge(testimonial)
        return testimonial


def _decide(client, path, decision, message=""):
    page = html(client.get(path))
    return client.post(
        f"{path}/{decision}",
        data={
            "csrf_token": page.select_one("input[name=csrf_token]")["value"],
            "version": page.select_one("input[name=version]")["value"],
            "message": message,
        },
    )


def test_the_invitation_is_sent_once_after_the_delay(app, client, acme, smtp):
    assert client.post("/providers/acme/contact", data=contact_form(client)).status_code == 302
    with app.test_request_context():
        assert testimonial_invitations.invite_due(utcnow() + timedelta(days=41)) == 0
        assert testimonial_invitations.invite_due(utcnow() + timedelta(days=42, minutes=1)) == 1
        assert testimonial_invitations.invite_due(utcnow() + timedelta(days=50)) == 0
    with app.app_context():
        assert db.session.scalars(select(ContactMessage.testimonial_invited_at)).one()


def test_the_whole_journey_with_the_mark_and_a_reply(app, client, acme, smtp, auth, moderator):
    path = _invite(app, client, smtp)
    form = html(client.get(path)).select_one("main form")
    assert form.select_one("#author_name")["value"] == "Association du Quartier"
    _testify(client, path)
    assert html(client.get(path)).select_one("main h1") is not None  # "thank you", no form
    assert html(client.get(path)).select_one("main form #body") is None
    assert not html(client.get("/providers/acme")).select(".testimonial")

    auth.login()
    testimonial = _only(app)
    assert testimonial.via_directory and testimonial.state == State.PENDING
    queue = html(client.get("/moderation/"))
    assert f"/moderation/testimonials/{testimonial.id}" in [
        a["href"] for a in queue.select("table.queue tbody a")
    ]
    item = f"/moderation/testimonials/{testimonial.id}"
    assert _decide(client, item, "approve").status_code == 302
    (told,) = [m for m in smtp.to(PRIVATE) if "/edit/" in body_of(m)]
    auth.logout()

    page = html(client.get("/providers/acme"))
    (shown,) = page.select(".testimonial")
    assert "Migration de nos documents" in shown.get_text()
    assert shown.select_one(".badge") is not None  # put in touch through the directory
    assert "Association du Quartier" in shown.get_text()
    assert SENDER not in page.get_text()
    assert page.select_one(".recommend-count") is None  # one opinion is no figure

    # The provider replies once, from the link of its email.
    edit = link_in(told, "/edit/")
    edit_page = html(client.get(edit))
    reply_form = edit_page.select_one(".testimonials form")
    data = dict(form_values(reply_form))
    data[f"reply-{testimonial.id}-body"] = "Merci, ce fut un plaisir !"
    assert client.post(reply_form["action"], data=data).status_code == 302
    assert html(client.get(edit)).select_one(".testimonials form") is None
    again = client.post(reply_form["action"], data=data)
    assert again.status_code == 302
    assert _only(app).reply_body == "Merci, ce fut un plaisir !"

    auth.login()
    assert _decide(client, f"/moderation/replies/{testimonial.id}", "approve").status_code == 302
    auth.logout()
    shown = html(client.get("/providers/acme")).select_one(".testimonial .reply")
    assert "ce fut un plaisir" in shown.get_text()

    record = client.get("/api/v1/providers/acme").get_json()
    (published,) = record["testimonials"]
    assert published["recommend"] is True and published["via_directory"] is True
    assert published["reply"] == "Merci, ce fut un plaisir !"
    assert SENDER not in str(record)
    export = client.get("/export/providers.json").get_json()
    assert export["providers"][0]["testimonials"] == record["testimonials"]
    assert SENDER not in client.get("/export/providers.json").get_data(as_text=True)


def test_anonymous_testimonials_are_signed_by_region(app, client, acme, smtp, logged_in):
    path = _invite(app, client, smtp)
    refused = client.post(path, data=filled_form(client, path, signature="anonymous"))
    assert refused.status_code == 400
    page = html(refused)
    assert page.select_one("#region-error") is not None
    assert page.select_one("#body").get_text().strip().startswith("Migration de nos documents")
    _testify(client, path, signature="anonymous", region="53")
    testimonial = _only(app)
    assert testimonial.author_name == "" and testimonial.region_code == "53"
    _decide(client, f"/moderation/testimonials/{testimonial.id}", "approve")
    shown = html(client.get("/providers/acme")).select_one(".testimonial .meta").get_text()
    assert "Bretagne" in shown
    assert "Association du Quartier" not in shown


def test_the_recommend_count_shows_from_three_testimonials(app, client, acme):
    with app.app_context():
        for number, recommend in enumerate((True, True, False)):
            db.session.add(
                Given(
                    provider_id=acme,
                    state=State.APPROVED,
                    author_name=f"Asso {number}",
                    services=["hosting"],
                    month=f"2026-0{number + 1}",
                    recommend=recommend,
                    body="Très bien.",
                    decided_at=utcnow(),
                )
            )
            db.session.commit()
            count = html(client.get("/providers/acme?lang=en")).select_one(".recommend-count")
            assert (count is None) == (number < 2)
    assert count.get_text(strip=True).startswith("2 of 3")
    shown = html(client.get("/providers/acme")).select(".testimonial")
    assert [t.select_one(".meta").get_text().split(" · ")[0] for t in shown] == [
        "Asso 2",
        "Asso 1",
        "Asso 0",
    ]


def test_a_rejected_testimonial_needs_a_note_and_is_not_shown(app, client, acme, smtp, logged_in):
    path = _invite(app, client, smtp)
    _testify(client, path)
    item = f"/moderation/testimonials/{_only(app).id}"
    assert _decide(logged_in, item, "reject").status_code == 400
    assert _decide(logged_in, item, "reject", "Publicité.").status_code == 302
    assert _only(app).state == State.REJECTED
    assert not html(client.get("/providers/acme")).select(".testimonial")
    # A second decision on it gets the conflict message.
    page = html(logged_in.get(item))
    assert page.select_one("form.decision") is None


def test_a_bad_or_erased_invitation_link_is_404(app, client, acme, smtp):
    path = _invite(app, client, smtp)
    assert client.get(path + "x").status_code == 404
    with app.app_context():
        message = db.session.scalars(select(ContactMessage)).one()
        from directory.services import contact

        contact.erase(message.id)
    assert client.get(path).status_code == 404


def test_a_provider_cannot_reply_to_another_providers_testimonial(app, client, acme, smtp):
    path = _invite(app, client, smtp)
    _testify(client, path)
    testimonial = _only(app)
    with app.app_context():
        other = make_provider(slug="other", contact_email="other@private.example.net")
        from directory.services import tokens

        edit = "/edit/" + tokens.edit_token(other.id, other.contact_email)
    token = csrf_token(client, edit)
    response = client.post(
        f"{edit}/testimonials/{testimonial.id}/reply",
        data={"csrf_token": token, f"reply-{testimonial.id}-body": "Faux."},
    )
    assert response.status_code in (302, 404)
    assert _only(app).reply_body is None


def test_the_author_erases_its_testimonial_from_its_link(app, client, acme, smtp, logged_in):
    path = _invite(app, client, smtp)
    _testify(client, path)
    _decide(logged_in, f"/moderation/testimonials/{_only(app).id}", "approve")
    assert html(client.get("/providers/acme")).select(".testimonial")
    page = html(client.get(path))
    erase = page.select_one("main form")
    client.post(erase["action"], data=dict(form_values(erase)))
    with app.app_context():
        assert db.session.scalars(select(Given)).all() == []
    assert not html(client.get("/providers/acme")).select(".testimonial")
    # The link opens the form again: another testimonial may be written.
    assert html(client.get(path)).select_one("#body") is not None
