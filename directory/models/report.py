"""Reports of a problem with an entry, sent by visitors from its page."""

import enum
from datetime import datetime

from sqlalchemy import Enum, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from directory.extensions import db
from directory.models.provider import Provider, utcnow


class ReportReason(enum.StrEnum):
    GONE = "gone"
    WRONG_INFORMATION = "wrong_information"
    CHARTER = "charter"
    DUPLICATE = "duplicate"
    OTHER = "other"


class ReportState(enum.StrEnum):
    OPEN = "open"
    # The provider was asked to confirm or correct its entry; the report waits for a close.
    ASKED = "asked"
    CLOSED = "closed"


OPEN_REPORT_STATES = (ReportState.OPEN, ReportState.ASKED)


class Report(db.Model):
    """One item of the moderation queue: every open report of one reason on one entry,
    grouped (each visitor's words are a ReportMessage). `group_key` is set while the report is
    open and unique, so that two visitors reporting at once add to one item, not two."""

    __tablename__ = "report"
    __table_args__ = {"sqlite_autoincrement": True}  # an erased row's id never comes back

    id: Mapped[int] = mapped_column(primary_key=True)
    # Reports go with the entry when it is erased: they are about nothing any more.
    provider_id: Mapped[int] = mapped_column(
        ForeignKey("provider.id", ondelete="CASCADE"), index=True
    )
    reason: Mapped[ReportReason] = mapped_column(Enum(ReportReason, native_enum=False))
    state: Mapped[ReportState] = mapped_column(Enum(ReportState, native_enum=False), index=True)
    group_key: Mapped[str | None] = mapped_column(String(80), unique=True)
    # The first report of the group: the queue is ordered by it, oldest first.
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("moderator.id", ondelete="SET NULL")
    )
    # The moderator's note when closing (moderators only; no reporter reads it).
    note: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(default=1)

    provider: Mapped[Provider] = relationship()
    messages: Mapped[list["ReportMessage"]] = relationship(
        back_populates="report",
        order_by="ReportMessage.created_at",
        cascade="all, delete-orphan",
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_REPORT_STATES

    def __repr__(self) -> str:
        return f"<Report {self.id} {self.reason} {self.state}>"


class ReportMessage(db.Model):
    """What one visitor wrote. The optional email is personal data, deleted (set to NULL)
    when the report is closed."""

    __tablename__ = "report_message"
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("report.id", ondelete="CASCADE"), index=True)
    body: Mapped[str] = mapped_column(Text, default="")
    email: Mapped[str | None] = mapped_column(String(254))
    locale: Mapped[str] = mapped_column(String(5), default="fr")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The form's key (forms/base.py SubmittedOnce): the same form posted twice is one report.
    submission_key: Mapped[str | None] = mapped_column(String(32), unique=True)

    report: Mapped[Report] = relationship(back_populates="messages")
