"""The index change log: what each app server replays to bring its own index in step."""

import enum
from datetime import datetime

from sqlalchemy import Enum
from sqlalchemy.orm import Mapped, mapped_column

from directory.extensions import db
from directory.models.provider import utcnow


class IndexOperation(enum.Enum):
    """What the change did to the provider's document (for reading the log; replaying a
    change always re-reads the provider, so that the database stays the truth)."""

    UPSERT = "upsert"
    REMOVE = "remove"


class IndexChange(db.Model):
    """One change of what is searchable, written in the transaction that made it. Ids only
    grow (AUTOINCREMENT on SQLite, a sequence on PostgreSQL) and are handed out in commit
    order (see services/index_log.record), so "every change above N" is a safe watermark."""

    __tablename__ = "index_change"
    __table_args__ = {"sqlite_autoincrement": True}  # ids never reused after a purge

    id: Mapped[int] = mapped_column(primary_key=True)
    # No foreign key: the log outlives the providers it erased.
    provider_id: Mapped[int]
    operation: Mapped[IndexOperation] = mapped_column(Enum(IndexOperation, native_enum=False))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
