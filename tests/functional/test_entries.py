"""Listed providers: asking for an edit link, editing, confirming."""

from datetime import date, timedelta

from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from directory.extensions import db
from directory.models import Application, Provider
from directory.services.applications import edit_url
from tests.conftest import csrf_token, form_values, html, link_in
from tests.factories import make_provider


def _provider(app, **overrides):
    with app.app_context():
        provider = make_provider(
            contact_email="owner@private.example.net", regions=["53"], **overrides
        )
        with app.test_request_context():
            path = "/" + edit_url(provider).split("/", 3)[3]
        return provider.id, provider.slug, path


def test_the_link_request_answers_the_same_for_known_and_unknown_emails(app, client, smtp):
    _provider(app)
    token = csrf_token(client, "/edit-link")
    known = client.post(
        "/edit-link", data={"email": "OWNER@private.example.net", "csrf_token": token}
    )
    unknown = client.post("/edit-link", data={"email": "nobody@example.net", "csrf_token": token})
    assert known.status_code == unknown.status_code == 200
    assert html(known).main.get_text() == html(unknown).main.get_text()
    assert [m["To"] for m in smtp.messages] == ["owner@private.example.net"]
    assert link_in(smtp.last(), "/edit/")


def test_a_forged_or_expired_edit_link_is_404(app, client):
    _, _, path = _provider(app)
    assert client.get(path + "x").status_code == 404
    app.config["EDIT_LINK_MAX_AGE"] = -1
    assert client.get(path).status_code == 404


def test_an_edit_without_change_is_refused(app, client):
    _, _, path = _provider(app, pitch_fr="Hébergement libre.", software=["Nextcloud"])
    form = html(client.get(path)).select_one("form[enctype]")
    response = client.post(path, data=MultiDict(form_values(form)))
    assert response.status_code == 400
    assert "rien modifié" in html(response).select_one(".error-summary").get_text()
    with app.app_context():
        assert db.session.scalars(select(Application)).all() == []


def test_an_edit_waits_for_a_moderator(app, client, smtp):
    provider_id, slug, path = _provider(app, pitch_fr="Hébergement libre.")
    form = html(client.get(path)).select_one("form[enctype]")
    data = MultiDict(form_values(form))
    data["pitch_fr"] = "Formation et hébergement libre."
    response = client.post(path, data=data)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/status/")
    assert "Formation" not in html(client.get(f"/providers/{slug}")).select_one(".lead").get_text()
    with app.app_context():
        (update,) = db.session.scalars(select(Application)).all()
        assert update.provider_id == provider_id
        assert update.data["pitch_fr"] == "Formation et hébergement libre."
    assert smtp.last()["To"] == "owner@private.example.net"


def test_confirming_marks_the_entry_verified_today(app, client):
    provider_id, slug, path = _provider(app, last_verified_on=date.today() - timedelta(days=800))
    assert html(client.get(f"/providers/{slug}")).select_one(".badge-warning")
    client.post(path + "/confirm", data={"csrf_token": csrf_token(client, path)})
    with app.app_context():
        assert db.session.get(Provider, provider_id).last_verified_on == date.today()
    assert html(client.get(f"/providers/{slug}")).select_one(".badge-warning") is None
