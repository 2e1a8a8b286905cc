"""Administrators manage moderator accounts; moderators cannot."""

from sqlalchemy import select

from directory.extensions import db
from directory.models import Moderator
from tests.conftest import PASSWORD, csrf_token, html


def _emails(app):
    with app.app_context():
        return {m.email: m.enabled for m in db.session.scalars(select(Moderator))}


def _add_moderator(client, password="a long enough password"):
    token = csrf_token(client, "/admin/moderators")
    data = {
        "email": "new@example.org",
        "password": password,
        "role": "moderator",
        "csrf_token": token,
    }
    return client.post("/admin/moderators", data=data), token


def test_moderators_cannot_reach_the_admin_pages(client, auth, moderator):
    auth.login()
    assert client.get("/admin/moderators").status_code == 403


def test_an_admin_adds_disables_and_removes_a_moderator(app, client, auth, admin):
    auth.login(email="admin@example.org")
    response, token = _add_moderator(client)
    assert response.status_code == 302
    assert _emails(app)["new@example.org"] is True
    with app.app_context():
        new_id = db.session.scalar(select(Moderator.id).where(Moderator.email == "new@example.org"))

    other = app.test_client()
    other_token = csrf_token(other, "/login")
    other.post(
        "/login",
        data={
            "email": "new@example.org",
            "password": "a long enough password",
            "csrf_token": other_token,
        },
    )
    assert other.get("/moderation/").status_code == 200

    client.post(f"/admin/moderators/{new_id}/disable", data={"csrf_token": token})
    assert _emails(app)["new@example.org"] is False
    assert other.get("/moderation/").status_code == 302

    client.post(f"/admin/moderators/{new_id}/remove", data={"csrf_token": token})
    assert "new@example.org" not in _emails(app)


def test_a_short_password_is_refused(app, client, auth, admin):
    auth.login(email="admin@example.org")
    response, _token = _add_moderator(client, password="short")
    assert response.status_code == 400
    assert html(response).select_one("#password-error")
    assert "new@example.org" not in _emails(app)


def test_an_admin_cannot_disable_themselves(app, client, auth, admin):
    auth.login(email="admin@example.org")
    token = csrf_token(client, "/admin/moderators")
    client.post(f"/admin/moderators/{admin}/disable", data={"csrf_token": token})
    assert _emails(app)["admin@example.org"] is True


def test_admin_actions_need_a_csrf_token(app, client, auth, admin, moderator):
    auth.login(email="admin@example.org")
    response = client.post(f"/admin/moderators/{moderator}/remove", data={})
    assert response.status_code == 400
    assert "moderator@example.org" in _emails(app)
    assert PASSWORD
