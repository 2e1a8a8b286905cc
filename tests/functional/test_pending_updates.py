"""No lost update: a second update made while the first waits carries both, and an amended
application shows the moderator what the applicant changed, with both dates."""

from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from directory.extensions import db
from directory.models import Application, ApplicationState, Provider
from directory.services import tokens
from directory.services.applications import edit_url
from tests.conftest import form_values, html
from tests.factories import make_provider
from tests.forms import application_form, provider_form


def _edit_path(app) -> tuple[int, str]:
    with app.app_context():
        provider = make_provider(
            contact_email="owner@private.example.net",
            city="Brest",
            postcode="29200",
            regions=["53"],
            pitch_fr="Hébergement libre.",
        )
        with app.test_request_context():
            return provider.id, "/" + edit_url(provider).split("/", 3)[3]


def _send(client, path, **changes):
    form = html(client.get(path)).select_one("form[enctype]")
    data = MultiDict(form_values(form))
    for field, value in changes.items():
        data[field] = value
    response = client.post(path, data=data)
    assert response.status_code == 302, html(response).select_one(".error-summary")


def _decide(client, application_id, decision, message=""):
    path = f"/moderation/items/{application_id}"
    page = html(client.get(path))
    form = {
        "csrf_token": page.select_one("input[name=csrf_token]")["value"],
        "version": page.select_one("input[name=version]")["value"],
        "message": message,
    }
    return client.post(f"{path}/{decision}", data=form)


def _open_update(app) -> int:
    with app.app_context():
        return db.session.scalar(
            select(Application.id).where(Application.state == ApplicationState.PENDING)
        )


def test_a_second_update_keeps_the_first_one(app, client, auth, moderator):
    provider_id, path = _edit_path(app)
    _send(client, path, city="Quimper")

    page = html(client.get(path))
    assert page.select_one("#city")["value"] == "Quimper"
    assert page.select_one(".pending-update")  # says so
    _send(client, path, postcode="29000")

    with app.app_context():
        states = db.session.scalars(select(Application.state).order_by(Application.id)).all()
    assert states == [ApplicationState.SUPERSEDED, ApplicationState.PENDING]
    update_id = _open_update(app)
    auth.login()
    item = html(client.get(f"/moderation/items/{update_id}"))
    changed = [th.get_text() for th in item.select("table.diff tbody th")]
    assert changed == ["Ville", "Code postal"]
    assert _decide(client, update_id, "approve").status_code == 302
    with app.app_context():
        provider = db.session.get(Provider, provider_id)
        assert (provider.city, provider.postcode) == ("Quimper", "29000")

    # Once approved, the item still shows what was decided.
    item = html(client.get(f"/moderation/items/{update_id}"))
    assert [td.get_text(" ", strip=True) for td in item.select("table.diff td.before")] == [
        "Brest",
        "29200",
    ]


def test_an_amended_application_shows_what_changed_and_both_dates(app, client, auth, moderator):
    response = client.post("/apply", data=application_form(client))
    assert response.status_code == 302
    application_id = _open_update(app)
    auth.login()
    _decide(client, application_id, "request-changes", "Le code postal ?")
    with app.app_context():
        application = db.session.get(Application, application_id)
        sent_on = application.created_at
        status = "/status/" + tokens.status_token(application.id, application.reference)
    auth.logout()
    amend_path = html(client.get(status)).select_one("a.button-link")["href"]
    token = html(client.get(amend_path)).select_one("input[name=csrf_token]")["value"]
    assert (
        client.post(amend_path, data=provider_form(postcode="29280", csrf_token=token)).status_code
        == 302
    )
    auth.login()
    item = html(client.get(f"/moderation/items/{application_id}?lang=en"))
    rows = item.select("table.diff tbody tr")
    assert [row.th.get_text() for row in rows] == ["Postcode"]
    assert [td.get_text(strip=True) for td in rows[0].select("td")] == ["29200", "29280"]
    facts = item.select_one("dl.facts").get_text(" ", strip=True)
    with app.app_context():
        application = db.session.get(Application, application_id)
        assert application.created_at == sent_on
        assert application.submitted_at > sent_on
    assert "Sent on" in facts and "Amended on" in facts
