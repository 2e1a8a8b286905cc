"""Edit and status links: signed, and naming no email (access logs keep URLs)."""

import base64
import json

from directory.services import tokens

EMAIL = "Secret.Person@private.example.net"


def _payload(token: str) -> str:
    """The readable part of a signed token, decoded as an access log reader would."""
    part = token.split(".")[0]
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)).decode()


def test_an_edit_token_names_no_email(app):
    with app.app_context():
        token = tokens.edit_token(42, EMAIL)
    payload = _payload(token)
    assert "@" not in payload
    for part in ("secret", "person", "private", "example"):
        assert part not in payload.lower()
    assert json.loads(payload)[0] == 42


def test_an_edit_token_opens_its_entry_until_the_email_changes(app):
    with app.app_context():
        provider_id, email_mark = tokens.read_edit_token(tokens.edit_token(42, EMAIL))
        assert provider_id == 42
        assert tokens.names_email(email_mark, EMAIL.upper())
        assert not tokens.names_email(email_mark, "new@private.example.net")


def test_a_status_token_names_no_email(app):
    with app.app_context():
        token = tokens.status_token(7, "ABCD-EFGH")
        assert tokens.read_status_token(token) == (7, "ABCD-EFGH")
    assert "@" not in _payload(token)
