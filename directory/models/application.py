"""Applications: new entries, updates and removals waiting for a moderator's decision."""

import enum
from datetime import datetime

from sqlalchemy import JSON, Enum, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from directory.extensions import db
from directory.models.provider import Provider, utcnow


class ApplicationKind(enum.StrEnum):
    NEW = "new"
    UPDATE = "update"
    REMOVAL = "removal"


class ApplicationState(enum.StrEnum):
    PENDING = "pending"
    CHANGES_REQUESTED = "changes_requested"
    APPROVED = "approved"
    REJECTED = "rejected"
    # A newer update of the same entry replaced this one before any decision.
    SUPERSEDED = "superseded"


OPEN_STATES = (ApplicationState.PENDING, ApplicationState.CHANGES_REQUESTED)


class Application(db.Model):
    """One request to a moderator. `data` holds the proposed public fields (see
    services.provider_data); `contact_email` is private and never shown publicly."""

    __tablename__ = "application"
    __table_args__ = {"sqlite_autoincrement": True}  # an erased row's id never comes back

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(16), unique=True)
    kind: Mapped[ApplicationKind] = mapped_column(Enum(ApplicationKind, native_enum=False))
    state: Mapped[ApplicationState] = mapped_column(
        Enum(ApplicationState, native_enum=False), index=True
    )
    provider_id: Mapped[int | None] = mapped_column(
        ForeignKey("provider.id", ondelete="SET NULL"), index=True
    )
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    # `data` before the applicant's last amendment, so the moderator sees what they changed.
    previous_data: Mapped[dict | None] = mapped_column(JSON)
    # The published entry's values an approved update replaced, so its page keeps its diff.
    replaced_data: Mapped[dict | None] = mapped_column(JSON)
    contact_email: Mapped[str | None] = mapped_column(String(254))
    locale: Mapped[str] = mapped_column(String(5), default="fr")
    logo_filename: Mapped[str | None] = mapped_column(String(80))
    # When it was first sent: an amendment does not change it.
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # When it last entered the queue: the queue is ordered by it, oldest first.
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("moderator.id", ondelete="SET NULL")
    )
    version: Mapped[int] = mapped_column(default=1)
    # The key of the form that sent a new application: the same form posted again (twice at
    # once, or once more later) finds this application instead of making another.
    submission_key: Mapped[str | None] = mapped_column(String(32), unique=True)

    provider: Mapped[Provider | None] = relationship()
    messages: Mapped[list["ApplicationMessage"]] = relationship(
        back_populates="application",
        order_by="ApplicationMessage.created_at",
        cascade="all, delete-orphan",
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    def __repr__(self) -> str:
        return f"<Application {self.reference} {self.kind} {self.state}>"


class MessageKind(enum.StrEnum):
    CHANGES_REQUESTED = "changes_requested"
    REJECTED = "rejected"
    APPROVED = "approved"


class ApplicationMessage(db.Model):
    """A moderator's message to the applicant, shown on the private status page."""

    __tablename__ = "application_message"
    __table_args__ = {"sqlite_autoincrement": True}  # an erased row's id never comes back

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("application.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[MessageKind] = mapped_column(Enum(MessageKind, native_enum=False))
    body: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    application: Mapped[Application] = relationship(back_populates="messages")
