"""Figures and chart data of the moderators' dashboard, on factory data at a fixed date."""

from datetime import datetime, timedelta
from itertools import count

import pytest

from directory.extensions import db
from directory.models import Application, ApplicationKind, ApplicationState
from directory.services import dashboard
from tests.factories import make_provider

NOW = datetime(2026, 3, 15, 12, 0)
_refs = count(1)


def application(state, created, decided=None, submitted=None) -> Application:
    item = Application(
        reference=f"T{next(_refs):06d}",
        kind=ApplicationKind.NEW,
        state=state,
        data={"name": "x"},
        created_at=created,
        submitted_at=submitted or created,
        decided_at=decided,
    )
    db.session.add(item)
    db.session.commit()
    return item


@pytest.fixture
def board(app):
    with app.app_context():
        approved, rejected, pending = (
            ApplicationState.APPROVED,
            ApplicationState.REJECTED,
            ApplicationState.PENDING,
        )
        # Decided in the last 30 days after 2, 4 and 10 days: median 4.
        application(approved, NOW - timedelta(days=12), NOW - timedelta(days=10))
        application(rejected, NOW - timedelta(days=24), NOW - timedelta(days=20))
        application(approved, NOW - timedelta(days=15), NOW - timedelta(days=5))
        # Decided in January after 6 days; a request for changes is no decision.
        application(approved, datetime(2026, 1, 3), datetime(2026, 1, 9))
        application(ApplicationState.CHANGES_REQUESTED, datetime(2026, 1, 3), datetime(2026, 1, 4))
        # Waiting for 1, 8, 20 and 45 days; the oldest was sent back and resubmitted.
        for days in (1, 8, 20):
            application(pending, NOW - timedelta(days=days))
        application(pending, datetime(2025, 1, 1), submitted=NOW - timedelta(days=45))
        make_provider(regions=["53"], departements=["29"], services=["hosting", "training"])
        make_provider(departements=["35"], services=["hosting"])
        make_provider(regions=["11"], services=["hosting"], published=False)
        make_provider(serves_nationwide=True, services=["training"])
        yield dashboard.build(NOW)


def values(counts) -> dict:
    return {item.key: item.value for item in counts}


def test_headline_figures(board):
    assert board.pending == 4
    assert board.decided_recently == 3
    assert board.median_days == 4
    assert board.published == 3


def test_applications_per_month_cover_twelve_months(board):
    per_month = values(board.applications_per_month)
    assert next(iter(per_month)) == datetime(2025, 4, 1)
    assert list(per_month)[-1] == datetime(2026, 3, 1)
    # Created on 3, 7 and 14 March, on 19, 23 and 28 February; the application created in
    # January 2025 is older than the twelve months.
    assert per_month[datetime(2026, 3, 1)] == 3
    assert per_month[datetime(2026, 2, 1)] == 3
    assert per_month[datetime(2026, 1, 1)] == 2
    assert sum(per_month.values()) == 8


def test_median_time_to_decision_by_month_of_decision(board):
    medians = values(board.median_days_per_month)
    # Decided on 5 March (2 days) and 10 March (10 days), 23 February (4 days), 9 January.
    assert medians[datetime(2026, 3, 1)] == 6
    assert medians[datetime(2026, 2, 1)] == 4
    assert medians[datetime(2026, 1, 1)] == 6
    assert medians[datetime(2025, 12, 1)] is None


def test_pending_items_by_age(board):
    assert values(board.pending_by_age) == {(0, 7): 1, (7, 14): 1, (14, 30): 1, (30, None): 1}


def test_published_providers_per_region_and_service(board):
    regions = {region.code: n for region, n in values(board.providers_per_region).items()}
    assert len(regions) == 18
    # Listed in Bretagne and in Finistère: counted once; Ille-et-Vilaine counts for Bretagne.
    assert regions["53"] == 2
    assert regions["11"] == 0  # unpublished
    assert sum(regions.values()) == 2
    services = {service.code: n for service, n in values(board.providers_per_service).items()}
    assert services["hosting"] == 2
    assert services["training"] == 2


def test_month_starts_cross_the_new_year():
    starts = dashboard.month_starts(datetime(2026, 2, 28), months=3)
    assert starts == [datetime(2025, 12, 1), datetime(2026, 1, 1), datetime(2026, 2, 1)]
