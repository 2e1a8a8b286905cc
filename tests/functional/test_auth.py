"""Moderators' login: lockout, sessions, safe redirects, roles."""

import pytest

from tests.conftest import PASSWORD, Auth, csrf_token, html


def test_login_then_logout(client, auth, moderator):
    response = auth.login()
    assert response.status_code == 302
    assert response.headers["Location"] == "/moderation/"
    assert client.get("/moderation/").status_code == 200
    auth.logout()
    assert client.get("/moderation/").status_code == 302


def test_logout_ends_the_session_even_for_a_copied_cookie(app, client, auth, moderator):
    auth.login()
    stolen = client.get_cookie("session").value
    auth.logout()
    other = app.test_client()
    other.set_cookie("session", stolen)
    assert other.get("/moderation/").status_code == 302


def test_wrong_password_is_refused_without_saying_which_part(client, auth, moderator):
    response = auth.login(password="wrong password!")
    assert response.status_code == 200
    assert (
        "Adresse e-mail ou mot de passe incorrect"
        in html(response).select_one(".error-summary").get_text()
    )
    unknown = auth.login(email="nobody@example.org")
    assert (
        html(unknown).select_one(".error-summary").get_text()
        == html(response).select_one(".error-summary").get_text()
    )


def test_five_failures_lock_the_account_even_with_the_right_password(app, client, auth, moderator):
    client.set_cookie("lang", "en")
    for _ in range(5):
        auth.login(password="wrong password!")
    locked = auth.login()
    assert locked.status_code == 200
    assert "Too many failed attempts" in html(locked).select_one(".error-summary").get_text()
    assert client.get("/moderation/").status_code == 302


def test_the_lock_is_held_in_the_database_for_every_worker(app, tmp_path, auth, moderator):
    for _ in range(5):
        auth.login(password="wrong password!")
    # Another client (think: another worker process) sees the same lock.
    other = app.test_client()
    token = csrf_token(other, "/login")
    response = other.post(
        "/login", data={"email": "moderator@example.org", "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/moderation/audit", "/moderation/audit"),
        ("//evil.example", "/moderation/"),
        ("https://evil.example/", "/moderation/"),
        ("/\\evil.example", "/moderation/"),
        ("javascript:alert(1)", "/moderation/"),
    ],
)
def test_next_only_goes_to_local_paths(client, moderator, target, expected):
    token = csrf_token(client, "/login")
    response = client.post(
        "/login",
        data={
            "email": "moderator@example.org",
            "password": PASSWORD,
            "csrf_token": token,
            "next": target,
        },
    )
    assert response.headers["Location"] == expected


def test_logout_is_post_only(client, auth, moderator):
    auth.login()
    assert client.get("/logout").status_code == 405
    assert client.get("/moderation/").status_code == 200


NEW_PASSWORD = "a brand new passphrase for me"


def _change_password(client, current=PASSWORD, new=NEW_PASSWORD, confirm=None):
    token = csrf_token(client, "/account/password")
    return client.post(
        "/account/password",
        data={"current": current, "new": new, "confirm": confirm or new, "csrf_token": token},
    )


def test_changing_the_password_ends_other_sessions(app, client, auth, moderator):
    auth.login()
    other = app.test_client()
    Auth(other).login()
    assert other.get("/moderation/").status_code == 200
    response = _change_password(client)
    assert response.status_code == 302
    assert client.get("/moderation/").status_code == 200
    assert other.get("/moderation/").status_code == 302
    assert Auth(other).login(password=PASSWORD).status_code == 200
    assert Auth(other).login(password=NEW_PASSWORD).status_code == 302


@pytest.mark.parametrize(
    ("new", "field", "message"),
    [("password12345", "new", "trop facile"), ("short", "new", "12")],
)
def test_weak_new_passwords_are_refused(client, auth, moderator, new, field, message):
    auth.login()
    response = _change_password(client, new=new)
    assert response.status_code == 400
    assert message in html(response).select_one(f"#{field}-error").get_text()


def test_a_wrong_current_password_is_refused(client, auth, moderator):
    auth.login()
    response = _change_password(client, current="not my password")
    assert response.status_code == 400
    assert html(response).select_one("#current-error")
