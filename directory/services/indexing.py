"""Keeping the search index in step with the database, by one path: every change of what is
searchable is written to the change log in the transaction that makes it (index_log.record),
and this module applies the log to the index and moves its watermark. The request that made a
change applies it at once after its commit (apply_committed); a search applies whatever other
servers or a process that died logged meanwhile (catch_up). A document is thus written once
per change, and the database stays the truth: the index is rebuilt from it when damaged."""

from collections.abc import Callable, Iterator

from flask import current_app

from directory import search
from directory.models import Provider
from directory.services import index_log, providers


def index_source() -> tuple[int, Iterator[Provider]]:
    """What a rebuild reads: the newest id of the change log, then every published provider.
    The rebuilt index counts as holding every change logged before (it read the providers
    after them); later ones are replayed by catch_up. The search package calls it to heal a
    damaged index."""
    return index_log.latest_id(), providers.iter_all()


def reindex_all(on_progress: Callable[[int], None] | None = None) -> int:
    """Rebuilds the search index from the database; returns the number of providers indexed.
    Raises search.IndexUnavailable if the index folder cannot be written."""
    latest, published = index_source()
    indexed = search.rebuild(published, on_progress)
    search.mark_applied(latest)
    return indexed


def ensure_search_index() -> bool:
    """Rebuilds the index if it is missing, unreadable, outdated or out of step with the
    database; True if it rebuilt."""
    latest = index_log.latest_id()
    rebuilt = search.ensure_index(providers.iter_all, providers.count())
    if rebuilt:
        search.mark_applied(latest)
    return rebuilt


def catch_up(timeout: float = search.REPLAY_TIMEOUT) -> int | None:
    """Applies to this server's index the changes logged since its watermark. Costs one
    `SELECT max(id)` when there is nothing to do. Returns the number of documents written, or
    None if another process held the index's writer lock for `timeout` seconds (the next
    search tries again). At most index_log.REPLAY_BATCH changes are applied per call. Raises
    search.IndexUnavailable."""
    if index_log.latest_id() <= search.applied_change():
        return 0
    return search.replay_changes(_changes_since, timeout)


def apply_committed() -> None:
    """Applies a change just committed (with its index_log.record) to this server's index.
    If the index cannot be written now, the change stays committed and logged: the next
    search replays it, or the index heals from the database."""
    try:
        catch_up()
    except search.IndexUnavailable as error:
        current_app.logger.warning("Search index not updated now: %s", error)


def _changes_since(after_id: int) -> search.ChangeSet:
    """What the changes past `after_id` add up to, read from the database as it is now: a
    provider still published is indexed again, any other one is removed."""
    last_id, touched = index_log.changed_since(after_id)
    present = [p for p in providers.get_many(sorted(touched)) if p.published]
    return search.ChangeSet(last_id, present, touched - {p.id for p in present})
