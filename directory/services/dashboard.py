"""The moderators' dashboard: figures and chart data on applications, decisions and entries.

Read-only. Durations are computed in Python from the rows of the last twelve months, so that
SQLite and PostgreSQL give the same answers (their date arithmetic differs)."""

import itertools
from dataclasses import dataclass
from datetime import datetime, timedelta
from statistics import median

from sqlalchemy import func, or_, select, union

from directory.extensions import db
from directory.models import (
    Application,
    ApplicationState,
    AuditEntry,
    Departement,
    Provider,
    Region,
    Service,
)
from directory.models.provider import (
    provider_departement,
    provider_region,
    provider_service,
    utcnow,
)
from directory.services import freshness

MONTHS = 12
RECENT_DAYS = 30
DECISIONS = (ApplicationState.APPROVED, ApplicationState.REJECTED)
# Upper bounds, in days, of the age buckets of pending items; the last bucket is open.
AGE_BUCKETS = (7, 14, 30)


@dataclass(frozen=True)
class Count:
    """One bar of a chart: what it counts (a code or a month) and the number."""

    key: object
    value: float | None


@dataclass(frozen=True)
class Dashboard:
    pending: int
    decided_recently: int
    median_days: float | None  # over the decisions of the last RECENT_DAYS days
    published: int
    applications_per_month: list[Count]  # key: first day of the month
    median_days_per_month: list[Count]  # by month of decision; None without decision
    pending_by_age: list[Count]  # key: (lowest, highest) days, highest None for the last
    providers_per_region: list[Count]  # key: Region
    providers_per_service: list[Count]  # key: Service
    freshness: "Freshness | None" = None


@dataclass(frozen=True)
class Freshness:
    """Where the published entries stand in the freshness policy (services.reminders)."""

    verified_last_year: int  # published entries verified in the last 12 months
    to_verify: int  # published entries showing the "to be verified" badge
    reminders_recent: int  # reminders sent in the last RECENT_DAYS days
    offline: int  # entries taken offline, never verified for too long

    def verified_share(self, published: int) -> float | None:
        return self.verified_last_year / published if published else None


def month_starts(now: datetime, months: int = MONTHS) -> list[datetime]:
    """The first day of each of the last `months` months, the current one last."""
    year, month = now.year, now.month
    starts = []
    for _ in range(months):
        starts.append(datetime(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return starts[::-1]


def _month(moment: datetime) -> datetime:
    return datetime(moment.year, moment.month, 1)


def _days(start: datetime, end: datetime) -> float:
    return (end - start).total_seconds() / 86400


def build(now: datetime | None = None) -> Dashboard:
    """Every figure and chart of the dashboard, as of `now` (UTC, naive; default: now)."""
    now = now or utcnow()
    months = month_starts(now)
    since = months[0]

    created = db.session.scalars(
        select(Application.created_at).where(Application.created_at >= since)
    )
    per_month = dict.fromkeys(months, 0)
    for moment in created:
        per_month[_month(moment)] = per_month.get(_month(moment), 0) + 1

    decided = db.session.execute(
        select(Application.created_at, Application.decided_at).where(
            Application.state.in_(DECISIONS), Application.decided_at >= since
        )
    ).all()
    durations: dict[datetime, list[float]] = {month: [] for month in months}
    recent = []
    for created_at, decided_at in decided:
        durations.setdefault(_month(decided_at), []).append(_days(created_at, decided_at))
        if decided_at >= now - timedelta(days=RECENT_DAYS):
            recent.append(_days(created_at, decided_at))

    ages = _pending_ages(now)
    return Dashboard(
        pending=len(ages),
        decided_recently=len(recent),
        median_days=median(recent) if recent else None,
        published=db.session.scalar(
            select(func.count(Provider.id)).where(Provider.published.is_(True))
        ),
        applications_per_month=[Count(month, per_month[month]) for month in months],
        median_days_per_month=[
            Count(month, median(durations[month]) if durations[month] else None) for month in months
        ],
        pending_by_age=_age_buckets(ages),
        providers_per_region=_per_region(),
        providers_per_service=_per_service(),
        freshness=_freshness(now),
    )


def _freshness(now: datetime) -> Freshness:
    today = now.date()
    published = (Provider.published.is_(True),)
    badge_after = freshness.badge_limit(today)

    def providers(*where) -> int:
        return db.session.scalar(select(func.count(Provider.id)).where(*where))

    return Freshness(
        verified_last_year=providers(
            *published, Provider.last_verified_on >= today - timedelta(days=365)
        ),
        to_verify=providers(
            *published,
            or_(Provider.last_verified_on.is_(None), Provider.last_verified_on < badge_after),
        ),
        reminders_recent=db.session.scalar(
            select(func.count(AuditEntry.id)).where(
                AuditEntry.action.in_(("reminder.sent", "reminder.resent")),
                AuditEntry.at >= now - timedelta(days=RECENT_DAYS),
            )
        ),
        offline=providers(
            Provider.published.is_(False), Provider.unpublished_stale_on.is_not(None)
        ),
    )


def _pending_ages(now: datetime) -> list[float]:
    """Days each item waiting for a moderator has been in the queue."""
    submitted = db.session.scalars(
        select(Application.submitted_at).where(Application.state == ApplicationState.PENDING)
    )
    return [_days(moment, now) for moment in submitted]


def _age_buckets(ages: list[float]) -> list[Count]:
    bounds = [0, *AGE_BUCKETS, None]
    return [
        Count((low, high), sum(1 for age in ages if age >= low and (high is None or age < high)))
        for low, high in itertools.pairwise(bounds)
    ]


def _published_ids():
    return select(Provider.id).where(Provider.published.is_(True))


def _per_region() -> list[Count]:
    """Published providers per région: listed in the région or in one of its départements,
    counted once. Providers working nationwide are not spread over every région."""
    links = union(
        select(provider_region.c.provider_id, provider_region.c.region_code),
        select(provider_departement.c.provider_id, Departement.region_code).join(
            Departement, Departement.code == provider_departement.c.departement_code
        ),
    ).subquery()
    counts = dict(
        db.session.execute(
            select(links.c.region_code, func.count(links.c.provider_id))
            .where(links.c.provider_id.in_(_published_ids()))
            .group_by(links.c.region_code)
        ).all()
    )
    regions = db.session.scalars(select(Region).order_by(Region.position))
    return [Count(region, counts.get(region.code, 0)) for region in regions]


def _per_service() -> list[Count]:
    counts = dict(
        db.session.execute(
            select(provider_service.c.service_code, func.count(provider_service.c.provider_id))
            .where(provider_service.c.provider_id.in_(_published_ids()))
            .group_by(provider_service.c.service_code)
        ).all()
    )
    services = db.session.scalars(select(Service).order_by(Service.position))
    return [Count(service, counts.get(service.code, 0)) for service in services]
