"""Moderator accounts: creation, login with lockout, sessions, and the admin's tools."""

from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from email_validator import EmailNotValidError, validate_email
from flask import current_app
from sqlalchemy import select, update
from zxcvbn import zxcvbn

from directory.extensions import db
from directory.models import Moderator, Role
from directory.models.moderator import new_session_nonce
from directory.models.provider import utcnow
from directory.services import audit

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
    """Too many failed logins: the account is locked until `until` (UTC)."""

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


def authenticate(email: str, password: str) -> Moderator:
    """The moderator for these credentials. Failures are counted in the database, so the
    lock holds across worker processes. Raises LoginFailed or AccountLocked."""
    config = current_app.config
    moderator = db.session.scalar(
        select(Moderator).where(Moderator.email == email.strip().casefold())
    )
    if moderator is None or not moderator.enabled:
        _verify(_DUMMY_HASH, password)
        raise LoginFailed
    now = utcnow()
    if moderator.locked_until and moderator.locked_until > now:
        raise AccountLocked(moderator.locked_until)
    if not _verify(moderator.password_hash, password):
        # An atomic increment: two workers failing at once both count.
        db.session.execute(
            update(Moderator)
            .where(Moderator.id == moderator.id)
            .values(failed_logins=Moderator.failed_logins + 1)
        )
        db.session.commit()
        db.session.refresh(moderator)
        if moderator.failed_logins >= config["LOGIN_MAX_FAILURES"]:
            moderator.locked_until = now + timedelta(minutes=config["LOGIN_LOCK_MINUTES"])
            moderator.failed_logins = 0
            audit.record("moderator.locked", actor="system", moderator_id=moderator.id)
            db.session.commit()
            raise AccountLocked(moderator.locked_until)
        raise LoginFailed
    moderator.failed_logins = 0
    moderator.locked_until = None
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
