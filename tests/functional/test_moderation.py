"""The moderation queue and the whole journey of an entry, through HTTP and email."""

import pytest
from sqlalchemy import select

from directory import search
from directory.extensions import db
from directory.models import Application, ApplicationState, AuditEntry, Provider
from directory.search import SearchRequest
from tests.conftest import body_of, csrf_token, html, link_in
from tests.forms import application_form, provider_form


def _apply(client, **overrides) -> Application:
    response = client.post("/apply", data=application_form(client, **overrides))
    assert response.status_code == 302, html(response).select_one(".error-summary")
    return _latest(client.application)


def _latest(app) -> Application:
    with app.app_context():
        application = db.session.scalars(
            select(Application).order_by(Application.id.desc())
        ).first()
        db.session.expunge(application)
        return application


def _decide(client, application_id, decision, message="", version=None):
    path = f"/moderation/items/{application_id}"
    page = html(client.get(path))
    version = version or page.select_one("input[name=version]")["value"]
    return client.post(
        f"{path}/{decision}",
        data={
            "csrf_token": page.select_one("input[name=csrf_token]")["value"],
            "version": version,
            "message": message,
        },
    )


def _searchable(app, text) -> list[int]:
    with app.app_context():
        return [hit.provider_id for hit in search.search(SearchRequest(text=text)).hits]


@pytest.fixture
def logged_in(client, auth, moderator):
    assert auth.login().status_code == 302
    return client


def test_the_queue_lists_open_items_oldest_first_with_a_count(app, logged_in):
    first = _apply(logged_in, name="Premier Arrivé")
    second = _apply(logged_in, name="Second Arrivé", contact_email="other@example.net")
    page = html(logged_in.get("/moderation/"))
    references = [a.get_text() for a in page.select("table.queue tbody a")]
    assert references == [first.reference, second.reference]
    assert page.select_one(".count-badge").get_text() == "2 en attente"


def test_queue_filters_by_state_and_kind(app, logged_in):
    application = _apply(logged_in)
    _decide(logged_in, application.id, "reject", "Hors sujet.")
    assert not html(logged_in.get("/moderation/")).select("table.queue tbody tr")
    rejected = html(logged_in.get("/moderation/?state=rejected&kind=new"))
    assert [a.get_text() for a in rejected.select("table.queue tbody a")] == [application.reference]
    assert not html(logged_in.get("/moderation/?state=rejected&kind=update")).select("tbody tr")


def test_the_full_journey_of_an_entry(app, client, auth, moderator, smtp):
    # Apply in English.
    response = client.post("/apply?lang=en", data=application_form(client))
    assert response.status_code == 302
    application = _latest(app)
    status_path = link_in(smtp.last(), "/status/")

    # A moderator asks for changes; the applicant is told in English.
    auth.login()
    assert (
        _decide(client, application.id, "request-changes", "Please add a postcode.").status_code
        == 302
    )
    email = smtp.last()
    assert email["Content-Language"] == "en"
    assert "Please add a postcode." in body_of(email)
    assert link_in(email, "/status/") == status_path
    auth.logout()

    # The applicant amends from the status link, without retyping, and it returns to the queue.
    status = html(client.get(status_path))
    assert "Please add a postcode." in status.select_one(".messages").get_text()
    amend_path = status.select_one("a.button-link")["href"]
    form = html(client.get(amend_path))
    assert form.select_one("#name")["value"] == "Les Claviers Solidaires"
    data = provider_form(
        postcode="29280", csrf_token=form.select_one("input[name=csrf_token]")["value"]
    )
    assert client.post(amend_path, data=data).status_code == 302
    assert _latest(app).state == ApplicationState.PENDING

    # Approval publishes at once: searchable before the moderator's page returns.
    auth.login()
    assert _decide(client, application.id, "approve").status_code == 302
    with app.app_context():
        provider = db.session.scalar(select(Provider))
        provider_id, slug = provider.id, provider.slug
    assert _searchable(app, "claviers") == [provider_id]
    assert client.get(f"/providers/{slug}").status_code == 200
    edit_path = link_in(smtp.last(), "/edit/")
    auth.logout()

    # The provider edits through the link; the entry stays unchanged until approved.
    form = html(client.get(edit_path))
    data = provider_form(
        pitch_fr="Réparation de vélos et hébergement.",
        postcode="29280",
        csrf_token=form.select_one("input[name=csrf_token]")["value"],
    )
    assert client.post(edit_path, data=data).status_code == 302
    assert _searchable(app, "vélos") == []
    update = _latest(app)
    auth.login()
    item = html(client.get(f"/moderation/items/{update.id}"))
    assert [th.get_text() for th in item.select("table.diff tbody th")] == ["Short pitch in French"]
    _decide(client, update.id, "approve")
    assert _searchable(app, "vélos") == [provider_id]
    auth.logout()

    # The provider asks for removal: unpublished at once, erased once confirmed.
    remove_path = edit_path + "/remove"
    token = csrf_token(client, remove_path)
    assert client.post(remove_path, data={"csrf_token": token}).status_code == 302
    assert _searchable(app, "claviers") == []
    assert client.get(f"/providers/{slug}").status_code == 404
    removal = _latest(app)
    auth.login()
    _decide(client, removal.id, "approve")
    with app.app_context():
        assert db.session.get(Provider, provider_id) is None
        for row in db.session.scalars(select(Application)):
            assert row.contact_email is None
            assert "public_email" not in row.data
        actions = [e.action for e in db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))]
    assert actions[-1] == "provider.erased"
    assert {
        "application.submitted",
        "application.changes_requested",
        "application.amended",
        "provider.published",
        "update.submitted",
        "provider.updated",
        "removal.requested",
    } <= set(actions)


def test_the_second_of_two_moderators_gets_a_conflict(app, logged_in):
    application = _apply(logged_in)
    seen = html(logged_in.get(f"/moderation/items/{application.id}"))
    version = seen.select_one("input[name=version]")["value"]
    assert _decide(logged_in, application.id, "approve", version=version).status_code == 302
    second = _decide(logged_in, application.id, "reject", "Non.", version=version)
    assert second.status_code == 302
    page = html(logged_in.get(second.headers["Location"]))
    assert "vient de traiter cet élément" in page.select_one(".flash").get_text()
    assert "Approuvée" in page.get_text()
    with app.app_context():
        assert db.session.get(Application, application.id).state == ApplicationState.APPROVED
        assert len(db.session.scalars(select(Provider)).all()) == 1


def test_approving_twice_publishes_once(app, logged_in):
    application = _apply(logged_in)
    _decide(logged_in, application.id, "approve", version="1")
    _decide(logged_in, application.id, "approve", version="1")
    with app.app_context():
        assert len(db.session.scalars(select(Provider)).all()) == 1


@pytest.mark.parametrize("decision", ["reject", "request-changes"])
def test_rejecting_or_asking_for_changes_needs_a_message(app, logged_in, decision):
    application = _apply(logged_in)
    response = _decide(logged_in, application.id, decision, "   ")
    assert response.status_code == 400
    assert html(response).select_one("#message-error")
    assert _latest(app).state == ApplicationState.PENDING


def test_a_rejection_reason_reaches_the_applicant(app, client, logged_in, smtp):
    application = _apply(logged_in)
    _decide(logged_in, application.id, "reject", "Nous ne référençons que des structures libres.")
    email = smtp.last()
    assert email["To"] == "secret.person@private.example.net"
    assert "Nous ne référençons que des structures libres." in body_of(email)
    status = html(client.get(link_in(email, "/status/")))
    assert "Refusée" in status.select_one(".state").get_text()


def test_probable_duplicates_are_flagged(app, logged_in):
    first = _apply(logged_in)
    _decide(logged_in, first.id, "approve")
    second = _apply(
        logged_in,
        name="LES CLAVIERS SOLIDAIRES",
        website="https://www.claviers.example.org/contact",
        public_email="",
        public_phone="06 39 98 00 00",
        contact_email="x@example.net",
    )
    warning = html(logged_in.get(f"/moderation/items/{second.id}")).select_one(".warning")
    assert warning is not None
    text = warning.get_text(" ", strip=True)
    assert "nom" in text and "site web" in text


def test_moderation_pages_need_a_login(client, app):
    for path in ("/moderation/", "/moderation/audit", "/moderation/items/1"):
        response = client.get(path)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/login?next=")


def test_the_audit_log_records_field_names_not_values(app, logged_in):
    application = _apply(logged_in)
    _decide(logged_in, application.id, "approve")
    page = html(logged_in.get("/moderation/audit?lang=en"))
    text = page.get_text()
    assert "Entry published" in text and "provider.published" not in text
    assert "Public email" in text and "public_email" not in text
    assert "secret.person@private.example.net" not in text
    assert "bonjour@claviers.example.org" not in text


def test_the_approval_email_links_to_the_published_entry(app, client, logged_in, smtp):
    application = _apply(logged_in)
    _decide(logged_in, application.id, "approve")
    with app.app_context():
        slug = db.session.scalar(select(Provider.slug))
    assert link_in(smtp.last(), "/providers/") == f"/providers/{slug}"
