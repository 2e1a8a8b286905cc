"""Moderator accounts."""

import enum
import secrets
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Enum, String
from sqlalchemy.orm import Mapped, mapped_column

from directory.extensions import db
from directory.models.provider import utcnow


class Role(enum.StrEnum):
    MODERATOR = "moderator"
    ADMIN = "admin"


def new_session_nonce() -> str:
    return secrets.token_urlsafe(16)


class Moderator(UserMixin, db.Model):
    """A person who decides on applications; admins also manage moderators.

    `session_nonce` is part of the login session's identity: changing it (logout, password
    change, disabling) ends every session of the account at once.
    """

    __tablename__ = "moderator"
    __table_args__ = {"sqlite_autoincrement": True}  # an erased row's id never comes back

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(Enum(Role, native_enum=False), default=Role.MODERATOR)
    enabled: Mapped[bool] = mapped_column(default=True)
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]
    session_nonce: Mapped[str] = mapped_column(String(32), default=new_session_nonce)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def is_active(self) -> bool:
        return self.enabled

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    def get_id(self) -> str:
        return f"{self.id}:{self.session_nonce}"

    def __repr__(self) -> str:
        return f"<Moderator {self.id} {self.role}>"
