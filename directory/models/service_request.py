"""Requests that an association sends once to several providers, and each provider's answer."""

import enum
from datetime import datetime

from sqlalchemy import JSON, Enum, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from directory.extensions import db
from directory.models.provider import Provider, utcnow


class RecipientState(enum.StrEnum):
    SENT = "sent"
    WILL_ANSWER = "will_answer"
    CANNOT_HELP = "cannot_help"
    WITHDRAWN = "withdrawn"


class ServiceRequest(db.Model):
    """One need, sent to 1 to 3 providers at a time. As for contact messages, the sender's
    name, address, text and answers are personal data: erased (the row kept, `erased_at`
    set) from the private link or by `flask purge` after CONTACT_RETENTION_DAYS; what remains
    (when, which service, which région, who answered) feeds the dashboard's counts only."""

    __tablename__ = "service_request"
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(primary_key=True)
    # Random, signed into the association's private link with the id (services/tokens.py).
    reference: Mapped[str] = mapped_column(String(32), unique=True)
    sender_name: Mapped[str] = mapped_column(String(200), default="")
    sender_email: Mapped[str] = mapped_column(String(254), default="")
    audience_code: Mapped[str] = mapped_column(String(32))
    service_code: Mapped[str] = mapped_column(String(32), index=True)
    # The région of the need, when given: kept after erasure, for the counts per région.
    region_code: Mapped[str | None] = mapped_column(String(8), index=True)
    # The questionnaire's answers, checked (services/request_needs.Need.as_data).
    need: Mapped[dict] = mapped_column(JSON, default=dict)
    body: Mapped[str] = mapped_column(Text, default="")
    locale: Mapped[str] = mapped_column(String(5), default="fr")
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    withdrawn_at: Mapped[datetime | None]
    erased_at: Mapped[datetime | None]
    # When its sender was invited to leave a testimonial (TESTIMONIAL_DELAY_DAYS later).
    testimonial_invited_at: Mapped[datetime | None]
    # The form's key (forms/base.py SubmittedOnce): the same form posted twice is one request.
    submission_key: Mapped[str | None] = mapped_column(String(32), unique=True)

    recipients: Mapped[list["RequestRecipient"]] = relationship(
        back_populates="request", order_by="RequestRecipient.id", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<ServiceRequest {self.id}>"


class RequestRecipient(db.Model):
    """One provider a request went to, and its answer through its one-click links."""

    __tablename__ = "request_recipient"
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("service_request.id", ondelete="CASCADE"), index=True
    )
    # Kept detached (NULL) when the provider's entry is erased, like its contact messages.
    provider_id: Mapped[int | None] = mapped_column(
        ForeignKey("provider.id", ondelete="SET NULL"), index=True
    )
    # Random, signed into the provider's answer links with the id.
    reference: Mapped[str] = mapped_column(String(32), unique=True)
    state: Mapped[RecipientState] = mapped_column(
        Enum(RecipientState, native_enum=False, length=16), default=RecipientState.SENT
    )
    sent_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    answered_at: Mapped[datetime | None]

    request: Mapped[ServiceRequest] = relationship(back_populates="recipients")
    provider: Mapped[Provider | None] = relationship()

    @property
    def active(self) -> bool:
        """Counts towards the request's providers at a time (a decline frees its place)."""
        return self.state in (RecipientState.SENT, RecipientState.WILL_ANSWER)

    def __repr__(self) -> str:
        return f"<RequestRecipient {self.id} {self.state}>"
