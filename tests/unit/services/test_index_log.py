"""The index change log: every searchable write is logged, and another server replays it."""

import shutil
import threading
from datetime import timedelta

import pytest
from sqlalchemy import select

from directory import create_app, search
from directory.extensions import db
from directory.models import IndexChange, IndexOperation, Provider
from directory.models.provider import utcnow
from directory.search import SearchRequest
from directory.services import applications, index_log, indexing, moderation, providers
from directory.services.provider_data import snapshot
from directory.services.seeding import load_seed
from tests.conftest import SEED_DIR, worker_config
from tests.factories import make_provider
from tests.forms import provider_form


@pytest.fixture
def other_server(app, tmp_path):
    """A second app server on the same database, with an index folder of its own."""
    other = create_app(worker_config(app, SEARCH_INDEX_DIR=str(tmp_path / "other-index")))
    with other.app_context():
        indexing.reindex_all()
    yield other
    other.extensions["directory.search"].index.close()


def _log() -> list[tuple[int, IndexOperation]]:
    rows = db.session.execute(select(IndexChange.provider_id, IndexChange.operation))
    return [tuple(row) for row in rows]


def _found(text: str) -> list[int]:
    """What a search page shows: find() replays pending changes first."""
    return [hit.provider_id for hit in providers.find(SearchRequest(text=text)).result.hits]


def _queued(**fields) -> int:
    [application] = applications.queue_imported([(provider_form(**fields), "a@example.net")])
    return application.id


def test_every_searchable_write_is_logged(app, moderator):
    with app.test_request_context():
        approved = moderation.approve(_queued(name="Logged Coop"), moderator, 1).provider_id
        assert _log() == [(approved, IndexOperation.UPSERT)]
        applications.confirm_entry(approved)
        removal = applications.request_removal(approved, "fr")
        moderation.reject(removal.id, moderator, removal.version, "Non confirmée.")
        removal = applications.request_removal(approved, "fr")
        moderation.approve(removal.id, moderator, removal.version)
        assert [operation for _id, operation in _log()] == [
            IndexOperation.UPSERT,  # approval
            IndexOperation.UPSERT,  # confirmation
            IndexOperation.REMOVE,  # removal requested: unpublished at once
            IndexOperation.UPSERT,  # removal refused: back online
            IndexOperation.REMOVE,  # removal asked again
            IndexOperation.REMOVE,  # erasure
        ]
        assert {provider_id for provider_id, _op in _log()} == {approved}


def test_seeding_logs_the_providers_it_creates(app):
    with app.app_context():
        load_seed(SEED_DIR)
        published = set(db.session.scalars(select(Provider.id)))
        assert published and {p for p, _op in _log()} == published


def test_an_approval_on_one_server_is_searchable_on_the_other(app, other_server, moderator):
    with app.test_request_context():
        approved = moderation.approve(_queued(name="Coopérative Partagée"), moderator, 1)
        assert _found("partagée") == [approved.provider_id]
    with other_server.test_request_context():
        # Not in this server's index until it replays the log...
        assert search.search(SearchRequest(text="partagée")).total == 0
        # ...which the next search does.
        assert _found("partagée") == [approved.provider_id]
        assert search.applied_change() == index_log.latest_id()


def test_a_removal_on_one_server_leaves_the_other(app, other_server, moderator):
    with app.test_request_context():
        provider_id = moderation.approve(_queued(name="Partie Ailleurs"), moderator, 1).provider_id
    with other_server.test_request_context():
        assert _found("ailleurs") == [provider_id]
    with app.test_request_context():
        applications.request_removal(provider_id, "fr")
    with other_server.test_request_context():
        assert _found("ailleurs") == []


def test_a_rebuild_counts_every_change_logged_before_it(app, other_server, moderator):
    with app.test_request_context():
        moderation.approve(_queued(name="Avant Reconstruction"), moderator, 1)
    with other_server.app_context():
        assert search.applied_change() < index_log.latest_id()
        indexing.reindex_all()
        assert search.applied_change() == index_log.latest_id()
        assert search.search(SearchRequest(text="reconstruction")).total == 1


def test_a_rebuilt_folder_does_not_inherit_the_old_watermark(app, moderator):
    with app.test_request_context():
        provider_id = moderation.approve(_queued(name="Dossier Neuf"), moderator, 1).provider_id
        indexing.catch_up()
        assert search.applied_change() == index_log.latest_id() > 0
        # The folder is lost and built again without this provider (from a stale copy, say):
        # the new folder's watermark is unknown, so the whole log is replayed.
        shutil.rmtree(app.config["SEARCH_INDEX_DIR"])
        search.rebuild([])
        assert search.applied_change() == 0
        assert _found("neuf") == [provider_id]


def test_replaying_twice_writes_nothing_more(app):
    with app.app_context():
        provider = make_provider()
        # Logged by another server, not yet applied here.
        index_log.record(upserts=[provider.id])
        db.session.commit()
        assert indexing.catch_up() == 1
        assert indexing.catch_up() == 0


def test_purge_prunes_old_changes_only(app):
    with app.app_context():
        old = make_provider()
        recent = make_provider()
        index_log.record(upserts=[old.id])
        db.session.commit()
        db.session.execute(
            IndexChange.__table__.update().values(created_at=utcnow() - timedelta(days=31))
        )
        index_log.record(upserts=[recent.id])
        db.session.commit()
        recent_id = recent.id
    result = app.test_cli_runner().invoke(args=["purge"])
    assert "1 index changes pruned." in result.output
    with app.app_context():
        assert _log() == [(recent_id, IndexOperation.UPSERT)]


def test_kept_since_says_whether_a_prune_took_changes_after_an_id(app):
    with app.app_context():
        assert not index_log.kept_since(0)  # an empty log keeps nothing
        first, second = make_provider(), make_provider()
        index_log.record(upserts=[first.id])
        db.session.commit()
        index_log.record(upserts=[second.id])
        db.session.commit()
        oldest, newest = db.session.scalars(select(IndexChange.id).order_by(IndexChange.id))
        assert index_log.kept_since(oldest - 1) and index_log.kept_since(newest)
        db.session.execute(IndexChange.__table__.delete().where(IndexChange.id == oldest))
        db.session.commit()
        assert index_log.kept_since(oldest)
        assert not index_log.kept_since(oldest - 1)


def test_a_server_far_behind_catches_up_in_batches(app, monkeypatch):
    monkeypatch.setattr(index_log, "REPLAY_BATCH", 2)
    with app.app_context():
        made = [make_provider(name=f"Lot {n}").id for n in range(5)]
        search.rebuild([])  # this server's index lost them all
        index_log.record(upserts=made)
        db.session.commit()
        written = [indexing.catch_up() for _ in range(4)]
        assert written == [2, 2, 1, 0]
        assert {hit.provider_id for hit in search.search(SearchRequest(text="lot")).hits} == set(
            made
        )


def test_change_ids_follow_the_commit_order(app):
    """A change logged while another transaction's change is uncommitted waits for it, so a
    server that applied every id up to N never skips a smaller id committed later."""
    recorded, go, second_done = threading.Event(), threading.Event(), threading.Event()

    def first():
        with app.app_context():
            index_log.record(upserts=[1])
            db.session.flush()
            recorded.set()
            go.wait(timeout=30)
            db.session.commit()

    def second():
        with app.app_context():
            index_log.record(upserts=[2])
            db.session.commit()
            second_done.set()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    threads[0].start()
    assert recorded.wait(timeout=30)
    threads[1].start()
    # However long the first transaction stays open, the second one cannot log past it.
    assert not second_done.wait(timeout=0.5)
    go.set()
    for thread in threads:
        thread.join(timeout=30)
    assert second_done.is_set()
    with app.app_context():
        order = db.session.scalars(select(IndexChange.provider_id).order_by(IndexChange.id))
        assert list(order) == [1, 2]


def test_an_approval_writes_its_document_once_and_leaves_nothing_to_replay(app, moderator):
    with app.test_request_context():
        provider = make_provider(contact_email="owner@example.net")
        indexing.reindex_all()
        update = applications.submit_update(
            provider.id, {**snapshot(provider), "name": "Écrit Une Fois"}, "fr"
        )
        moderation.approve(update.id, moderator, update.version)
        # The approving request applied the logged change and moved the watermark: the next
        # search has nothing to write (it wrote the same document again before).
        assert search.applied_change() == index_log.latest_id()
        assert indexing.catch_up() == 0
        assert _found("écrit") == [provider.id]
