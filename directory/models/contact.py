"""Messages that associations write to a provider through the directory."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from directory.extensions import db
from directory.models.provider import Provider, utcnow


class ContactMessage(db.Model):
    """One message relayed to a provider. The sender's name, address and text are personal
    data: erased (the row kept, `erased_at` set) when the sender asks from the private link
    of its copy, or by `flask purge` after CONTACT_RETENTION_DAYS. What remains (when, to
    whom, which service) feeds the dashboard's counts and nothing else."""

    __tablename__ = "contact_message"
    __table_args__ = {"sqlite_autoincrement": True}  # an erased row's id never comes back

    id: Mapped[int] = mapped_column(primary_key=True)
    # Random, signed into the sender's private link with the id (services/tokens.py).
    reference: Mapped[str] = mapped_column(String(32), unique=True)
    # Kept detached (NULL) when the provider's entry is erased, like its applications.
    provider_id: Mapped[int | None] = mapped_column(
        ForeignKey("provider.id", ondelete="SET NULL"), index=True
    )
    sender_name: Mapped[str] = mapped_column(String(200), default="")
    sender_email: Mapped[str] = mapped_column(String(254), default="")
    # The sender's kind of structure: an audience code of the taxonomy ("collectives").
    audience_code: Mapped[str] = mapped_column(String(32))
    service_code: Mapped[str] = mapped_column(String(32), index=True)
    body: Mapped[str] = mapped_column(Text, default="")
    locale: Mapped[str] = mapped_column(String(5), default="fr")
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    erased_at: Mapped[datetime | None]
    # When its sender was invited to leave a testimonial (TESTIMONIAL_DELAY_DAYS later).
    testimonial_invited_at: Mapped[datetime | None]
    # The form's key (forms/base.py SubmittedOnce): the same form posted twice is one message.
    submission_key: Mapped[str | None] = mapped_column(String(32), unique=True)

    provider: Mapped[Provider | None] = relationship()

    def __repr__(self) -> str:
        return f"<ContactMessage {self.id}>"
