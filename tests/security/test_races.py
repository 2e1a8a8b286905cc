"""Two moderators in two worker processes approve the same 200 items in opposite orders."""

import multiprocessing

from sqlalchemy import func, select

from directory import create_app, search
from directory.extensions import db
from directory.models import Application, ApplicationState, AuditEntry, Provider
from directory.search import SearchRequest
from directory.services import applications, moderation
from tests.conftest import worker_config
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
