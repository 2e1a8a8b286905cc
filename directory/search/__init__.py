"""Full-text and faceted search: the only package that imports whoosh.

The rest of the app calls these functions: `search` to query, `index_providers` and
`remove_providers` after a commit, `rebuild` and `ensure_index` to build it from the database,
`applied_change`, `replay_changes` and `mark_applied` to follow the database's change log, and
`indexed_versions` to compare the index with the database.
"""

import pickle
import struct
import threading
import zlib
from collections.abc import Callable, Iterable
from pathlib import Path

from flask import Flask, current_app

from directory.search import changes, inventory
from directory.search.changes import ChangeSet
from directory.search.folding import fold
from directory.search.index import (
    IndexUnavailable,
    SearchIndex,
    collect_leaked_files,
    quiet_leaks,
)
from directory.search.query import (
    SORTS,
    FacetCache,
    Hit,
    SearchRequest,
    SearchResult,
    analyze,
    query_words,
    run,
)
from directory.search.syntax import Expansion, Thesaurus

__all__ = [
    "REPLAY_TIMEOUT",
    "SORTS",
    "ChangeSet",
    "Expansion",
    "Hit",
    "IndexUnavailable",
    "SearchRequest",
    "SearchResult",
    "Thesaurus",
    "analyze",
    "applied_change",
    "ensure_index",
    "fold",
    "index_providers",
    "indexed_versions",
    "init_app",
    "mark_applied",
    "optimize",
    "query_words",
    "rebuild",
    "remove_providers",
    "replay_changes",
    "search",
    "version_of",
]

_EXTENSION = "directory.search"


class _SearchState:
    """The index of this app and the facet cache of its current searcher."""

    def __init__(self, path: Path):
        self.index = SearchIndex(path)
        self._cache: FacetCache | None = None
        self._lock = threading.Lock()

    def cache_for(self, searcher) -> FacetCache:
        with self._lock:
            if self._cache is None or self._cache.searcher is not searcher:
                self._cache = FacetCache(searcher)
            return self._cache


def _state() -> _SearchState:
    return current_app.extensions[_EXTENSION]


def init_app(app: Flask) -> None:
    path = app.config.get("SEARCH_INDEX_DIR") or Path(app.instance_path) / "search-index"
    app.config["SEARCH_INDEX_DIR"] = str(path)
    app.extensions[_EXTENSION] = _SearchState(Path(path))


# What a damaged index raises from deep inside whoosh (truncated or missing files).
_READ_ERRORS = (
    OSError,
    EOFError,
    ValueError,
    KeyError,
    IndexError,
    struct.error,
    zlib.error,
    pickle.UnpicklingError,
)


def search(request: SearchRequest) -> SearchResult:
    """Runs `request` against the index. Raises IndexUnavailable if the index cannot be read
    (and drops this process's readers, so that the next search reopens it)."""
    state = _state()
    problem = None
    with quiet_leaks():
        try:
            with state.index.reading() as searcher:
                return run(searcher, state.cache_for(searcher), request)
        except IndexUnavailable:
            state.index.close()
            raise
        except _READ_ERRORS as error:
            problem = f"{state.index.path}: {error!r}"
            state.index.close()
    collect_leaked_files()
    raise IndexUnavailable(problem)


def index_providers(providers: Iterable) -> None:
    """Adds or replaces these providers' documents; call it after the database commit."""
    _state().index.update(providers)


def remove_providers(provider_ids: Iterable[int]) -> None:
    """Deletes these providers' documents; call it after the database commit."""
    _state().index.remove(provider_ids)


def rebuild(providers: Iterable, on_progress: Callable[[int], None] | None = None) -> int:
    """Rebuilds the whole index from `providers`; returns how many were indexed."""
    return _state().index.rebuild(providers, on_progress)


def optimize() -> None:
    """Merges the index into one segment, so that deleted documents leave its files. Slow on
    large indexes (minutes at 100,000 documents): for the CLI, never in a request."""
    _state().index.optimize()


def ensure_index(all_providers: Callable[[], Iterable], expected_count: int | None = None) -> bool:
    """Rebuilds the index if it is missing, unreadable, of an older schema, or holds another
    number of documents than `expected_count` (a process died between a commit and its index
    update). Returns True when it rebuilt; `all_providers` is called only then."""
    index = _state().index
    try:
        if index.is_current() and (
            expected_count is None or index.document_count() == expected_count
        ):
            return False
        rebuild(all_providers())
        return True
    finally:
        # This runs at start-up, maybe in a master process about to fork: no reader stays open.
        index.close()


# How long a replay waits for another process's writer lock before leaving it for later.
REPLAY_TIMEOUT = 0.2


def applied_change() -> int:
    """The id of the last logged change this index applied (0 when unknown)."""
    return changes.applied(_state().index.path)


def mark_applied(change_id: int) -> None:
    """Records that the index holds every change up to `change_id` (after a full rebuild)."""
    changes.mark_applied(_state().index.path, change_id)


def replay_changes(load: Callable[[int], ChangeSet], timeout: float = REPLAY_TIMEOUT) -> int | None:
    """Under the writer lock, calls `load(watermark)` and applies the ChangeSet it returns,
    then moves the watermark to its last id. Returns the number of documents written, or None
    if another process held the lock for `timeout` seconds. Raises IndexUnavailable."""
    return changes.replay(_state().index.path, load, timeout)


version_of = inventory.version_of


def indexed_versions() -> dict[int, int]:
    """Provider id -> `updated` (Unix seconds) of every document. Raises IndexUnavailable."""
    return inventory.indexed_versions(_state().index.path)
