"""Two moderators in two worker processes approve the same 200 items in opposite orders."""

import multiprocessing

from sqlalchemy import func, select

from directory import create_app, search
from directory.extensions import db
from directory.models import (
    Application,
    ApplicationState,
    AuditEntry,
    Provider,
    Report,
    ReportMessage,
    ReportReason,
)
from directory.search import SearchRequest
from directory.services import applications, moderation, reports
from tests.conftest import worker_config
from tests.factories import make_provider
from tests.forms import provider_form

ITEMS = 200


def _worker(config: dict, moderator_id: int, order: list[int], results) -> None:
    """One worker process: its own app, its own connections and index readers."""
    approved = conflicts = 0
    try:
        app = create_app(config)
        with app.test_request_context():
            for application_id in order:
                try:
                    moderation.approve(application_id, moderator_id, seen_version=1)
                    approved += 1
                except moderation.Conflict:
                    conflicts += 1
    except BaseException as error:  # reported to the test rather than lost with the process
        results.put(repr(error))
        raise
    results.put((approved, conflicts))


def test_no_item_is_approved_twice(app, moderator):
    config = worker_config(app)
    with app.test_request_context():
        queued = applications.queue_imported(
            [(provider_form(name=f"Item {n}", software=["Nextcloud"]), None) for n in range(ITEMS)]
        )
        ids = [application.id for application in queued]
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    workers = [
        context.Process(target=_worker, args=(config, moderator, order, results))
        for order in (ids, list(reversed(ids)))
    ]
    for worker in workers:
        worker.start()
    outcomes = [results.get(timeout=300) for _ in workers]
    assert all(isinstance(outcome, tuple) for outcome in outcomes), outcomes
    for worker in workers:
        worker.join(timeout=60)
        assert worker.exitcode == 0
    assert sum(approved for approved, _ in outcomes) == ITEMS
    assert sum(conflicts for _, conflicts in outcomes) == ITEMS
    with app.app_context():
        assert db.session.scalar(select(func.count(Provider.id))) == ITEMS
        states = db.session.scalars(select(Application.state)).all()
        assert set(states) == {ApplicationState.APPROVED}
        approvals = db.session.scalar(
            select(func.count(AuditEntry.id)).where(AuditEntry.action == "application.approved")
        )
        assert approvals == ITEMS
        assert search.search(SearchRequest(per_page=1)).total == ITEMS


REPORTED = 50


def _reporter(config: dict, provider_ids: list[int], address: str, results) -> None:
    """One worker process reporting every entry once, for the same reason."""
    try:
        app = create_app(config)
        draft = reports.ReportDraft(ReportReason.GONE, "Fermé.", None, "fr")
        with app.test_request_context():
            results.put([reports.submit(i, draft, address).id for i in provider_ids])
    except BaseException as error:
        results.put(repr(error))
        raise


def test_reports_sent_at_once_on_one_entry_make_one_item(app):
    with app.app_context():
        ids = [make_provider(slug=f"signal-{n}").id for n in range(REPORTED)]
    config = worker_config(app)
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    workers = [
        context.Process(target=_reporter, args=(config, order, address, results))
        for order, address in ((ids, "10.0.0.1"), (list(reversed(ids)), "10.0.0.2"))
    ]
    for worker in workers:
        worker.start()
    outcomes = [results.get(timeout=300) for _ in workers]
    assert all(isinstance(outcome, list) for outcome in outcomes), outcomes
    for worker in workers:
        worker.join(timeout=60)
        assert worker.exitcode == 0
    with app.app_context():
        groups = db.session.execute(
            select(Report.provider_id, func.count(ReportMessage.id))
            .join(ReportMessage)
            .group_by(Report.provider_id)
        ).all()
    assert sorted(groups) == [(i, 2) for i in ids]
