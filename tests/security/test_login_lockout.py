"""The login lockout tells no one which accounts exist, and a stranger who knows a
moderator's email locks out only themselves."""

import re

from argon2 import PasswordHasher

from tests.conftest import PASSWORD, csrf_token, html, make_app

MODERATOR = "moderator@example.org"
STRANGER = {"REMOTE_ADDR": "203.0.113.9"}


def _login(client, email, password, environ=None):
    client.set_cookie("lang", "en")
    token = csrf_token(client, "/login")
    return client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": token},
        environ_base=environ or {},
    )


def _message(response) -> str:
    """The error summary, with the time of the end of the lock left out."""
    summary = html(response).select_one(".error-summary")
    return re.sub(r"[\d/:. ]+", " ", summary.get_text(" ", strip=True)) if summary else ""


def test_an_account_and_an_unknown_email_answer_the_same_at_every_attempt(client, moderator):
    for attempt in range(8):
        known = _login(client, MODERATOR, "wrong password!")
        unknown = _login(client, "nobody@example.org", "wrong password!")
        assert known.status_code == unknown.status_code == 200, attempt
        assert _message(known) == _message(unknown), attempt
    assert "Too many failed attempts" in _message(known)


def test_an_unknown_email_costs_one_password_hash_like_an_account(client, moderator, monkeypatch):
    verified = []
    original = PasswordHasher.verify

    def counting(self, hash_, password):
        verified.append(hash_)
        return original(self, hash_, password)

    monkeypatch.setattr(PasswordHasher, "verify", counting)
    _login(client, MODERATOR, "wrong password!")
    _login(client, "nobody@example.org", "wrong password!")
    assert len(verified) == 2


def test_a_stranger_cannot_lock_a_moderator_out(client, moderator):
    for _ in range(10):
        _login(client, MODERATOR, "wrong password!", STRANGER)
    # The stranger is locked out, even with the right password...
    stranger = _login(client, MODERATOR, PASSWORD, STRANGER)
    assert stranger.status_code == 200
    assert "Too many failed attempts" in _message(stranger)
    # ...the moderator, from their own address, is not.
    response = _login(client, MODERATOR, PASSWORD)
    assert response.status_code == 302
    assert response.headers["Location"] == "/moderation/"


def test_failures_on_many_accounts_lock_the_address(tmp_path):
    app = make_app(tmp_path, LOGIN_MAX_FAILURES_PER_ADDRESS=8)
    from directory.services import accounts

    with app.app_context():
        accounts.create_moderator(MODERATOR, PASSWORD)
    client = app.test_client()
    for number in range(8):
        _login(client, f"person{number}@example.org", "wrong password!", STRANGER)
    assert "Too many failed attempts" in _message(_login(client, MODERATOR, PASSWORD, STRANGER))
    assert _login(client, MODERATOR, PASSWORD).status_code == 302


def test_a_successful_login_forgets_the_failures_of_its_address(client, moderator):
    for _ in range(4):
        _login(client, MODERATOR, "wrong password!")
    assert _login(client, MODERATOR, PASSWORD).status_code == 302
    client.post("/logout", data={"csrf_token": csrf_token(client, "/moderation/")})
    for _ in range(4):
        _login(client, MODERATOR, "wrong password!")
    assert _login(client, MODERATOR, PASSWORD).status_code == 302
