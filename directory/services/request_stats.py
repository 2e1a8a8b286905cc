"""What the directory learns from requests to several providers: counts, never their text.

Read-only. Requests per month, per service and per région, the share of providers that
answered within ANSWER_DAYS, and the providers that never answer (a private list for the
moderators, to help them), all over the last MONTHS months; and for a provider's own edit
page, how many requests it received and answered. Erased requests still count (erasure
takes who wrote and what, not that a request was sent and answered). A provider a request
was withdrawn from before it answered had no fair chance: it counts in neither figure.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select

from directory.extensions import db
from directory.models import (
    Provider,
    RecipientState,
    Region,
    RequestRecipient,
    Service,
    ServiceRequest,
)
from directory.models.provider import utcnow
from directory.services.contact_stats import RECEIVED_DAYS
from directory.services.dashboard import MONTHS, Count, month_starts

# An answer within this many days counts as "answered in time"; a provider that received
# requests at least this old and answered none is listed as never answering.
ANSWER_DAYS = 7
# Requests received (old enough, none answered) before a provider is listed.
SILENT_AFTER = 2


@dataclass(frozen=True)
class Silent:
    name: str
    slug: str
    received: int


@dataclass(frozen=True)
class RequestFigures:
    total: int  # requests of the last twelve months
    per_month: list[Count]  # key: first day of the month
    per_service: list[Count]  # key: Service
    per_region: list[Count]  # key: Region; requests without a région are not counted
    answered_in_time: float | None  # share of recipients old enough; None without any
    silent: list[Silent]  # providers that never answer, most requests first


def _fair(since: datetime):
    """Recipients of the period, minus those withdrawn before they could answer."""
    return (
        RequestRecipient.sent_at >= since,
        (RequestRecipient.state != RecipientState.WITHDRAWN)
        | RequestRecipient.answered_at.is_not(None),
    )


def build(now: datetime | None = None) -> RequestFigures:
    """Every figure of the dashboard's requests section, as of `now`."""
    now = now or utcnow()
    months = month_starts(now, MONTHS)
    since = months[0]
    rows = db.session.execute(
        select(
            ServiceRequest.created_at, ServiceRequest.service_code, ServiceRequest.region_code
        ).where(ServiceRequest.created_at >= since)
    ).all()
    per_month = dict.fromkeys(months, 0)
    per_service: dict[str, int] = {}
    per_region: dict[str, int] = {}
    for created_at, service_code, region_code in rows:
        key = datetime(created_at.year, created_at.month, 1)
        per_month[key] = per_month.get(key, 0) + 1
        per_service[service_code] = per_service.get(service_code, 0) + 1
        if region_code:
            per_region[region_code] = per_region.get(region_code, 0) + 1
    services = db.session.scalars(select(Service).order_by(Service.position))
    regions = db.session.scalars(select(Region).order_by(Region.position))
    return RequestFigures(
        total=len(rows),
        per_month=[Count(month, per_month[month]) for month in months],
        per_service=[Count(s, per_service.get(s.code, 0)) for s in services],
        per_region=[Count(r, per_region.get(r.code, 0)) for r in regions],
        answered_in_time=_answered_in_time(since, now),
        silent=_silent(since, now),
    )


def _answered_in_time(since: datetime, now: datetime) -> float | None:
    window = timedelta(days=ANSWER_DAYS)
    pairs = db.session.execute(
        select(RequestRecipient.sent_at, RequestRecipient.answered_at).where(*_fair(since))
    ).all()
    # A recipient counts once it had its ANSWER_DAYS, or sooner if it already answered.
    judged = [(s, a) for s, a in pairs if a is not None or s <= now - window]
    if not judged:
        return None
    return sum(1 for s, a in judged if a is not None and a - s <= window) / len(judged)


def _silent(since: datetime, now: datetime) -> list[Silent]:
    old_enough = RequestRecipient.sent_at <= now - timedelta(days=ANSWER_DAYS)
    answered = func.count(RequestRecipient.answered_at)
    received = func.count(RequestRecipient.id)
    rows = db.session.execute(
        select(Provider.name, Provider.slug, received)
        .join(Provider, Provider.id == RequestRecipient.provider_id)
        .where(*_fair(since), old_enough)
        .group_by(Provider.id, Provider.name, Provider.slug)
        .having(received >= SILENT_AFTER, answered == 0)
        .order_by(received.desc(), Provider.name)
    ).all()
    return [Silent(name, slug, count) for name, slug, count in rows]


def received(provider_id: int, now: datetime | None = None) -> tuple[int, int]:
    """(requests received, requests answered) by the provider in the last RECEIVED_DAYS."""
    since = (now or utcnow()) - timedelta(days=RECEIVED_DAYS)
    row = db.session.execute(
        select(func.count(RequestRecipient.id), func.count(RequestRecipient.answered_at)).where(
            RequestRecipient.provider_id == provider_id, RequestRecipient.sent_at >= since
        )
    ).one()
    return int(row[0]), int(row[1])
