"""Every email goes through the outbox: written with what caused it, delivered after commit.

`render_and_send` adds the email to the current database session, so that it is committed
with the change that caused it, or rolled back with it; call it BEFORE the commit. Right
after that commit the emails of the session are delivered; what could not be (a crash, an
SMTP server down) stays pending for `flask send-outbox`, which retries with a growing delay.
Each message is claimed (one UPDATE whose row count says who won) before it is sent, so two
senders never send it both; a claim left by a crashed sender is taken over after
CLAIM_TIMEOUT. A sender killed after the SMTP server accepted a message but before it was
marked sent makes it go once more, with the same Message-ID.
"""

import secrets
import smtplib
from collections.abc import Iterable
from datetime import datetime, timedelta

from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy import delete, event, func, or_, select, update

from directory.extensions import db
from directory.models import OutboxMessage
from directory.models.provider import utcnow
from directory.services import mail_transport

# A claim older than this is taken as left by a crashed sender.
CLAIM_TIMEOUT = timedelta(minutes=10)
# Attempts before a message is given up (the delays double from 1 minute: about 17 hours).
MAX_ATTEMPTS = 10
_PENDING = "directory.outbox_pending"


def render_and_send(
    to: str,
    template: str,
    locale: str,
    cause: str = "",
    reply_to: str | None = None,
    **context,
) -> None:
    """Renders templates/email/<template>.txt in `locale` (its first line is the subject)
    and queues it for `to` in the current session; it is sent once the session commits.
    `cause` says what caused it, for the operator (never an address); `reply_to`, where
    answers go when not to the directory."""
    with force_locale(locale):
        text = render_template(f"email/{template}.txt", **context)
    subject, _, body = text.strip().partition("\n")
    queue(to, subject.strip(), body.strip() + "\n", locale, cause or template, reply_to)


def queue(
    to: str, subject: str, body: str, locale: str, cause: str, reply_to: str | None = None
) -> OutboxMessage:
    """Adds an email to the current session (the caller commits); delivered after commit."""
    message = OutboxMessage(
        message_id=f"{secrets.token_hex(16)}@directory.invalid",
        recipient=to.strip(),
        reply_to=reply_to.strip() if reply_to else None,
        subject=mail_transport.header_text(subject),
        body=body,
        locale=locale,
        cause=cause[:200],
    )
    db.session.add(message)
    session = db.session()
    pending = session.info.setdefault(_PENDING, [])
    if not pending:
        app = current_app._get_current_object()
        event.listen(session, "after_commit", lambda s: _deliver_committed(app, s), once=True)
    pending.append(message.message_id)
    return message


def _deliver_committed(app, session) -> None:
    """After a commit: delivers the emails queued in it (on connections of their own, since
    the session can run no SQL here). A failure leaves them for send-outbox."""
    message_ids = session.info.pop(_PENDING, [])
    try:
        with app.app_context():
            deliver(message_ids)
    except Exception:
        app.logger.exception("Emails left in the outbox for send-outbox")


def send(to: str, subject: str, body: str, locale: str = "fr") -> None:
    """Sends one email at once, outside the outbox (for tests of the transport)."""
    message_id = f"{secrets.token_hex(16)}@directory.invalid"
    mail_transport.transmit(mail_transport.build(message_id, to, subject, body, locale))


def _due(now: datetime):
    table = OutboxMessage.__table__
    return (
        table.c.sent_at.is_(None),
        table.c.attempts < MAX_ATTEMPTS,
        or_(table.c.claimed_at.is_(None), table.c.claimed_at < now - CLAIM_TIMEOUT),
    )


def deliver(message_ids: Iterable[str] | None = None) -> int:
    """Sends the messages due (only those of `message_ids` when given, due or not), each
    claimed first; returns how many were sent. Failures are recorded with the next attempt's
    time; never raises for a message that fails."""
    table = OutboxMessage.__table__
    now = utcnow()
    query = select(table.c.id).where(*_due(now)).order_by(table.c.id)
    if message_ids is None:
        query = query.where(table.c.next_attempt_at <= now)
    else:
        message_ids = list(message_ids)
        if not message_ids:
            return 0
        query = query.where(table.c.message_id.in_(message_ids))
    with db.engine.begin() as connection:
        row_ids = list(connection.scalars(query))
    return sum(_deliver_one(row_id) for row_id in row_ids)


def _deliver_one(row_id: int) -> bool:
    table = OutboxMessage.__table__
    token = secrets.token_hex(16)
    now = utcnow()
    with db.engine.begin() as connection:
        claimed = connection.execute(
            update(table)
            .where(table.c.id == row_id, *_due(now))
            .values(claimed_at=now, claim_token=token)
        ).rowcount
        if claimed != 1:
            return False  # another sender has it
        row = connection.execute(select(table).where(table.c.id == row_id)).one()
    mine = (table.c.id == row_id, table.c.claim_token == token)
    try:
        mail_transport.transmit(
            mail_transport.build(
                row.message_id, row.recipient, row.subject, row.body, row.locale, row.reply_to
            )
        )
    except Exception as error:
        attempts = row.attempts + 1
        with db.engine.begin() as connection:
            connection.execute(
                update(table)
                .where(*mine)
                .values(
                    attempts=attempts,
                    next_attempt_at=utcnow() + timedelta(minutes=2 ** (attempts - 1)),
                    claimed_at=None,
                    claim_token=None,
                    last_error=_kind_of(error),
                )
            )
        # The message id and cause only: the recipient is personal data.
        current_app.logger.warning(
            "Email %s (%s) not sent, attempt %d: %s",
            row.message_id,
            row.cause,
            attempts,
            _kind_of(error),
        )
        return False
    with db.engine.begin() as connection:
        connection.execute(
            update(table).where(*mine).values(sent_at=utcnow(), claimed_at=None, last_error=None)
        )
    return True


def _kind_of(error: Exception) -> str:
    """What failed, without the error's text (an SMTP refusal quotes the address)."""
    code = getattr(error, "smtp_code", None)
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        code = "recipient refused"
    return f"{type(error).__name__}" + (f" ({code})" if code else "")


def pending_count() -> int:
    """Messages not sent yet and not given up."""
    return db.session.scalar(select(func.count(OutboxMessage.id)).where(*_due(utcnow())[:2]))


def prune_sent(days: int) -> int:
    """Deletes messages sent more than `days` days ago, and those given up as long ago: their
    bodies hold private addresses and links. Returns how many were deleted (caller commits)."""
    limit = utcnow() - timedelta(days=days)
    return db.session.execute(
        delete(OutboxMessage).where(
            or_(
                OutboxMessage.sent_at < limit,
                (OutboxMessage.attempts >= MAX_ATTEMPTS) & (OutboxMessage.created_at < limit),
            )
        )
    ).rowcount
