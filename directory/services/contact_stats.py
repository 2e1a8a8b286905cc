"""What the directory learns from the contact form: counts of messages, never their text.

Read-only. Counts by month and by service for the moderators' dashboard, and by provider for
the provider's own edit page. Erased messages still count: erasure takes who wrote and what,
not that a message was sent.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select

from directory.extensions import db
from directory.models import ContactMessage, Service
from directory.models.provider import utcnow
from directory.services.dashboard import MONTHS, Count, month_starts

# A provider sees the messages of this many days (the last 12 months).
RECEIVED_DAYS = 365


@dataclass(frozen=True)
class ContactFigures:
    total: int  # messages of the last twelve months
    per_month: list[Count]  # key: first day of the month
    per_service: list[Count]  # key: Service, over the last twelve months


def build(now: datetime | None = None) -> ContactFigures:
    """Messages per month and per service over the last MONTHS months, as of `now`."""
    now = now or utcnow()
    months = month_starts(now, MONTHS)
    since = months[0]
    per_month = dict.fromkeys(months, 0)
    for moment in db.session.scalars(
        select(ContactMessage.created_at).where(ContactMessage.created_at >= since)
    ):
        key = datetime(moment.year, moment.month, 1)
        per_month[key] = per_month.get(key, 0) + 1
    counts = dict(
        db.session.execute(
            select(ContactMessage.service_code, func.count(ContactMessage.id))
            .where(ContactMessage.created_at >= since)
            .group_by(ContactMessage.service_code)
        ).all()
    )
    services = db.session.scalars(select(Service).order_by(Service.position))
    return ContactFigures(
        total=sum(per_month[month] for month in months),
        per_month=[Count(month, per_month[month]) for month in months],
        per_service=[Count(service, counts.get(service.code, 0)) for service in services],
    )


def received(provider_id: int, now: datetime | None = None) -> int:
    """Messages the provider received in the last RECEIVED_DAYS days."""
    since = (now or utcnow()) - timedelta(days=RECEIVED_DAYS)
    return db.session.scalar(
        select(func.count(ContactMessage.id)).where(
            ContactMessage.provider_id == provider_id, ContactMessage.created_at >= since
        )
    )
