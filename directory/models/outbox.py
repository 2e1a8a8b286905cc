"""The outbox: every email, written in the transaction of what caused it, then delivered."""

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from directory.extensions import db
from directory.models.provider import utcnow


class OutboxMessage(db.Model):
    """One email to send. A commit that rolls back takes its email with it; a crash after the
    commit leaves the row pending for `flask send-outbox`. A sender claims a row (claimed_at,
    claim_token) before sending it, so that two senders never send it both; a claim older
    than services/mail.CLAIM_TIMEOUT is taken as crashed and retried. Sent rows are pruned by
    `flask purge`: their bodies hold private addresses and links."""

    __tablename__ = "outbox_message"
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(primary_key=True)
    # The Message-ID header, the same for every attempt: a receiver can drop a repeat.
    message_id: Mapped[str] = mapped_column(String(200), unique=True)
    recipient: Mapped[str] = mapped_column(String(320))
    # Where answers go, when not to the directory: the association that wrote to a provider.
    reply_to: Mapped[str | None] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(String(500))
    body: Mapped[str] = mapped_column(Text)
    locale: Mapped[str] = mapped_column(String(8))
    # What caused it ("application 12: approved"), for the operator; never an address.
    cause: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    claimed_at: Mapped[datetime | None]
    claim_token: Mapped[str | None] = mapped_column(String(32))
    sent_at: Mapped[datetime | None] = mapped_column(index=True)
    # The kind of the last failure (the class of the error and the SMTP code), never its
    # text, which can name the recipient.
    last_error: Mapped[str | None] = mapped_column(String(200))
