"""Testimonials of associations about a provider that helped them, and the provider's reply."""

import enum
from datetime import datetime

from sqlalchemy import JSON, Enum, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from directory.extensions import db
from directory.models.provider import Provider, utcnow


class TestimonialState(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class Testimonial(db.Model):
    """What an association says of a provider, from the private link of its invitation (sent
    some weeks after it wrote to the provider, or sent it a request, through the directory;
    services/testimonial_invitations.py). Shown once approved; its provider may then reply
    once, and the reply is moderated too (the same row: one version for both, so two
    moderators never decide either twice). The author of a contact or a request is reached,
    if ever, through it (erased by retention) and erases its testimonial from its invitation
    link; a visitor who confirmed its email (no contact through the directory: no mark)
    leaves it here, `author_email`, never shown, erased with the testimonial."""

    __tablename__ = "testimonial"
    __table_args__ = (
        # One testimonial per visitor's email and provider (NULLs, the others, never clash).
        UniqueConstraint("provider_id", "author_email"),
        {"sqlite_autoincrement": True},  # an erased row's id never comes back
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(
        ForeignKey("provider.id", ondelete="CASCADE"), index=True
    )
    # The contact that led to it (one testimonial per contact): kept NULL once it is gone;
    # `via_directory` keeps the "put in touch through the directory" mark.
    contact_message_id: Mapped[int | None] = mapped_column(
        ForeignKey("contact_message.id", ondelete="SET NULL"), unique=True
    )
    # The provider of a request that led to it (one testimonial per request and provider),
    # NULL once the request is erased, as for contact messages.
    request_recipient_id: Mapped[int | None] = mapped_column(
        ForeignKey("request_recipient.id", ondelete="SET NULL"), unique=True
    )
    via_directory: Mapped[bool] = mapped_column(default=False)
    # A visitor's confirmed email (personal data: in no page, API, export, feed or log).
    author_email: Mapped[str | None] = mapped_column(String(254))
    state: Mapped[TestimonialState] = mapped_column(
        Enum(TestimonialState, native_enum=False), index=True
    )
    # Signed with the association's name, or anonymously by its région (author_name "").
    author_name: Mapped[str] = mapped_column(String(200), default="")
    region_code: Mapped[str | None] = mapped_column(String(8))
    services: Mapped[list] = mapped_column(JSON, default=list)
    month: Mapped[str] = mapped_column(String(7))  # "2026-11": when the work was done
    recommend: Mapped[bool]
    body: Mapped[str] = mapped_column(Text, default="")
    locale: Mapped[str] = mapped_column(String(5), default="fr")
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("moderator.id", ondelete="SET NULL")
    )
    note: Mapped[str] = mapped_column(Text, default="")  # why it was refused, for moderators
    reply_body: Mapped[str | None] = mapped_column(Text)
    reply_state: Mapped[TestimonialState | None] = mapped_column(
        Enum(TestimonialState, native_enum=False), index=True
    )
    reply_sent_at: Mapped[datetime | None]
    reply_decided_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(default=1)

    provider: Mapped[Provider] = relationship()

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"<Testimonial {self.id} {self.state}>"


class VisitorInvitation(db.Model):
    """A visitor's wish to leave a testimonial about a provider, waiting for it to follow the
    link emailed to the address it typed (services/visitor_testimonials.py): the link carries
    only [id, random reference], the email stays here. Deleted by `flask purge` once the
    link has expired (the email of a testimonial written through it lives on the testimonial)."""

    __tablename__ = "visitor_invitation"
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(32), unique=True)
    provider_id: Mapped[int] = mapped_column(
        ForeignKey("provider.id", ondelete="CASCADE"), index=True
    )
    email: Mapped[str] = mapped_column(String(254))
    locale: Mapped[str] = mapped_column(String(5), default="fr")
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    provider: Mapped[Provider] = relationship()

    def __repr__(self) -> str:
        return f"<VisitorInvitation {self.id}>"
