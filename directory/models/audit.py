"""The audit log: who did what, when, to which entry; never the personal values."""

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from directory.extensions import db
from directory.models.provider import utcnow


class AuditEntry(db.Model):
    """Written in the same transaction as the change it records; never updated afterwards."""

    __tablename__ = "audit_entry"
    __table_args__ = {"sqlite_autoincrement": True}  # an erased row's id never comes back

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    # "moderator" (with moderator_id), "applicant", "provider" or "system".
    actor: Mapped[str] = mapped_column(String(20))
    # No foreign key: the entry keeps naming the moderator after the account is removed.
    moderator_id: Mapped[int | None]
    action: Mapped[str] = mapped_column(String(40))
    # Kept even after the provider is erased, so the history of an id stays readable.
    provider_id: Mapped[int | None] = mapped_column(index=True)
    application_id: Mapped[int | None] = mapped_column(index=True)
    # Names of the fields changed, comma-separated.
    fields: Mapped[str] = mapped_column(Text, default="")

    @property
    def field_names(self) -> list[str]:
        return [name for name in self.fields.split(",") if name]
