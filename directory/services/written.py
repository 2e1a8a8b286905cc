"""What associations write through the site (a message to a provider, a request to several)
share one way of forgetting it: erased in place, who wrote and what, while the row keeps
when, to whom and which service for the counts; the emails that carried it leave the outbox;
CONTACT_RETENTION_DAYS after sending at the latest, or at once from the sender's link."""

from collections.abc import Callable
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, select

from directory.extensions import db
from directory.models import OutboxMessage
from directory.models.provider import utcnow


def sent_with(model, key: str | None):
    """The row of `model` a form's submission key already made (a second submit of the same
    form, or two at once), or None; any model with a unique `submission_key` (messages,
    requests, reports)."""
    if not key:
        return None
    return db.session.scalars(select(model).where(model.submission_key == key)).first()


def scrub(row, cause: str, now, **cleared) -> None:
    """Blanks the sender's name, email and text (and `cleared`, e.g. need={}) of `row`,
    marks it erased at `now`, and drops the outbox's emails whose cause starts with `cause`."""
    row.sender_name = ""
    row.sender_email = ""
    row.body = ""
    for name, value in cleared.items():
        setattr(row, name, value)
    row.erased_at = now
    db.session.execute(delete(OutboxMessage).where(OutboxMessage.cause.startswith(cause)))


def erase(model, row_id: int, scrub_row: Callable) -> None:
    """The sender erases what it wrote, from its private link (committed)."""
    row = db.session.get(model, row_id)
    if row is not None and row.erased_at is None:
        scrub_row(row, utcnow())
        db.session.commit()


def purge(model, scrub_row: Callable, now=None) -> int:
    """Scrubs the rows of `model` sent more than CONTACT_RETENTION_DAYS ago; returns how
    many (the caller commits)."""
    now = now or utcnow()
    limit = now - timedelta(days=current_app.config["CONTACT_RETENTION_DAYS"])
    stale = db.session.scalars(
        select(model).where(model.erased_at.is_(None), model.created_at < limit)
    ).all()
    for row in stale:
        scrub_row(row, now)
    return len(stale)
