"""Moderator accounts: creation, login with lockout, sessions, and the admin's tools."""

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from email_validator import EmailNotValidError, validate_email
from sqlalchemy import select
from zxcvbn import zxcvbn

from directory.extensions import db
from directory.models import Moderator, Role
from directory.models.moderator import new_session_nonce
from directory.services import audit, lockout

MIN_PASSWORD_LENGTH = 12
# zxcvbn's 0-4 scale: 3 is "safely unguessable: moderate protection from offline attacks".
MIN_SCORE = 3
# Argon2id with the library's defaults (RFC 9106 low-memory profile).
_hasher = PasswordHasher()
# Verified against when the email is unknown, so that both cases take as long.
_DUMMY_HASH = _hasher.hash("not a real password, only for timing")


class AccountError(Exception):
    """An account cannot be created or changed; `code` says why."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


class LoginFailed(Exception):
    """Wrong email or password (never says which)."""


class AccountLocked(Exception):
    """Too many failed logins from this address: locked out until `until` (naive UTC)."""

    def __init__(self, until):
        super().__init__(str(until))
        self.until = until


def _normalise_email(email: str) -> str:
    try:
        return validate_email(email.strip(), check_deliverability=False).normalized.casefold()
    except EmailNotValidError as error:
        raise AccountError("invalid_email") from error


def check_password_rules(password: str, email: str = "") -> None:
    """At least 12 characters, and not guessable: zxcvbn checks it against 30,000 common
    passwords, keyboard patterns, dates and the account's own email. Raises AccountError."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError("password_too_short")
    # zxcvbn's cost grows with length; past 100 characters a password is not guessable.
    if zxcvbn(password[:100], user_inputs=[email, *email.split("@")])["score"] < MIN_SCORE:
        raise AccountError("password_too_common")


def change_password(moderator_id: int, current: str, new: str) -> Moderator:
    """Replaces the password and ends every other session of the account. Raises
    LoginFailed (wrong current password) or AccountError."""
    moderator = db.session.get(Moderator, moderator_id)
    if moderator is None or not _verify(moderator.password_hash, current):
        raise LoginFailed
    check_password_rules(new, moderator.email)
    moderator.password_hash = _hasher.hash(new)
    moderator.session_nonce = new_session_nonce()
    audit.record(
        "moderator.password_changed",
        actor="moderator",
        moderator_id=moderator.id,
        fields=["password"],
    )
    db.session.commit()
    return moderator


def create_moderator(
    email: str, password: str, role: Role = Role.MODERATOR, created_by: int | None = None
) -> Moderator:
    """Creates an account. Raises AccountError (invalid_email, email_taken,
    password_too_short, password_too_common)."""
    email = _normalise_email(email)
    check_password_rules(password, email)
    if db.session.scalar(select(Moderator.id).where(Moderator.email == email)):
        raise AccountError("email_taken")
    moderator = Moderator(email=email, password_hash=_hasher.hash(password), role=Role(role))
    db.session.add(moderator)
    db.session.flush()
    audit.record(
        "moderator.created",
        actor="moderator" if created_by else "system",
        moderator_id=created_by,
        fields=["email", "role"],
    )
    db.session.commit()
    return moderator


def authenticate(email: str, password: str, client_address: str) -> Moderator:
    """The moderator for these credentials, tried from `client_address`. Failures are
    counted per (email, address) and per address (services/lockout.py), for unknown emails
    as for accounts, which cost one password hash each: no answer tells whether an account
    exists. Raises LoginFailed, or AccountLocked while that address is locked out of that
    email (even with the right password)."""
    until = lockout.locked_until(email, client_address)
    if until is not None:
        raise AccountLocked(until)
    moderator = db.session.scalar(
        select(Moderator).where(Moderator.email == email.strip().casefold())
    )
    usable = moderator is not None and moderator.enabled
    if not _verify(moderator.password_hash if usable else _DUMMY_HASH, password) or not usable:
        until = lockout.record_failure(email, client_address)
        if until is None:
            raise LoginFailed
        if usable:
            audit.record("moderator.locked", actor="system", moderator_id=moderator.id)
            db.session.commit()
        raise AccountLocked(until)
    lockout.forget_failures(email, client_address)
    if _hasher.check_needs_rehash(moderator.password_hash):
        moderator.password_hash = _hasher.hash(password)
        db.session.commit()
    return moderator


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def load_session_user(session_id: str) -> Moderator | None:
    """The moderator of a login session ("id:nonce"), if the nonce is still current."""
    moderator_id, _, nonce = session_id.partition(":")
    if not moderator_id.isdigit() or not nonce:
        return None
    moderator = db.session.get(Moderator, int(moderator_id))
    if moderator is None or not moderator.enabled or moderator.session_nonce != nonce:
        return None
    return moderator


def end_sessions(moderator_id: int) -> None:
    """Invalidates every session of this moderator (logout, disabling)."""
    moderator = db.session.get(Moderator, moderator_id)
    if moderator is not None:
        moderator.session_nonce = new_session_nonce()
        db.session.commit()


def list_moderators() -> list[Moderator]:
    return list(db.session.scalars(select(Moderator).order_by(Moderator.email)))


def set_enabled(admin_id: int, moderator_id: int, enabled: bool) -> Moderator:
    """Enables or disables an account; disabling ends its sessions. An admin cannot disable
    their own account. Raises AccountError (not_found, self)."""
    moderator = db.session.get(Moderator, moderator_id)
    if moderator is None:
        raise AccountError("not_found")
    if moderator_id == admin_id:
        raise AccountError("self")
    moderator.enabled = enabled
    if not enabled:
        moderator.session_nonce = new_session_nonce()
    audit.record(
        "moderator.enabled" if enabled else "moderator.disabled",
        actor="moderator",
        moderator_id=admin_id,
        fields=["enabled"],
    )
    db.session.commit()
    return moderator


def remove(admin_id: int, moderator_id: int) -> None:
    """Deletes an account (its past decisions keep their audit entries). Raises AccountError."""
    moderator = db.session.get(Moderator, moderator_id)
    if moderator is None:
        raise AccountError("not_found")
    if moderator_id == admin_id:
        raise AccountError("self")
    db.session.delete(moderator)
    audit.record("moderator.removed", actor="moderator", moderator_id=admin_id)
    db.session.commit()
