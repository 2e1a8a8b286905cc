"""Full-text and faceted search: the only package that imports whoosh.

The rest of the app calls these functions: `search` to query, `index_providers` and
`remove_providers` after a commit, `rebuild` and `ensure_index` to build it from the database,
`applied_change`, `replay_changes` and `mark_applied` to follow the database's change log, and
`indexed_versions` to compare the index with the database.
"""

import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TypeVar

from flask import Flask, current_app

from directory.search import changes, inventory, suggestions
from directory.search.changes import ChangeSet
from directory.search.documents import to_document
from directory.search.folding import fold
from directory.search.healing import Healer, Source
from directory.search.index import (
    IndexBusy,
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
    "IndexBusy",
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
T = TypeVar("T")


class _SearchState:
    """The index of this app, its healer, and the facet cache of its current searcher."""

    def __init__(self, path: Path):
        self.index = SearchIndex(path)
        self.healer = Healer(self.index, lambda change_id: changes.mark_applied(path, change_id))
        self._cache: FacetCache | None = None
        self._lock = threading.Lock()

    def cache_for(self, searcher) -> FacetCache:
        with self._lock:
            if self._cache is None or self._cache.searcher is not searcher:
                self._cache = FacetCache(searcher)
            return self._cache


def _state() -> _SearchState:
    return current_app.extensions[_EXTENSION]


def init_app(app: Flask, source: Source | None = None) -> None:
    """Binds the index folder to `app`. `source()` gives the newest change id of the log and
    every published provider: with it, a damaged index rebuilds itself from the database."""
    path = app.config.get("SEARCH_INDEX_DIR") or Path(app.instance_path) / "search-index"
    app.config["SEARCH_INDEX_DIR"] = str(path)
    state = _SearchState(Path(path))
    state.healer.source = source
    app.extensions[_EXTENSION] = state


class _CallerError(Exception):
    """An error of the app's own code called back from here (a database query, say): it is
    not a damaged index, so it passes through unchanged."""

    def __init__(self, original: Exception):
        super().__init__(repr(original))
        self.original = original


def _passing_through(iterable: Iterable) -> Iterator:
    iterator = iter(iterable)
    while True:
        try:
            item = next(iterator)
        except StopIteration:
            return
        except Exception as error:
            raise _CallerError(error) from error
        yield item


_HEALED = object()


def _guarded(action: Callable[[_SearchState], T], heal: bool = True) -> T | object:
    """Runs `action` on the index. Whatever a damaged folder makes whoosh raise, readers are
    dropped and (with `heal`) the index is rebuilt from the database; returns _HEALED if that
    rebuild ended within Healer's wait, else raises IndexUnavailable. A busy writer lock
    raises IndexBusy at once (the index is sound)."""
    state = _state()
    # The folder's build stamp before acting: if another process swaps in a rebuilt folder
    # meanwhile, the failure was the old folder's and nothing is rebuilt again.
    seen = state.index.stamp_or_none()
    problem = None
    with quiet_leaks():
        try:
            return action(state)
        except _CallerError as error:
            raise error.original from None
        except IndexBusy:
            raise
        except Exception as error:  # whoosh raises anything on a damaged folder
            problem = f"{state.index.path}: {error!r}"
            state.index.close()
    collect_leaked_files()
    if heal and state.healer.heal(current_app._get_current_object(), seen):
        return _HEALED
    raise IndexUnavailable(problem)


def search(request: SearchRequest) -> SearchResult:
    """Runs `request` against the index. If the index cannot be read, rebuilds it and runs
    the request again; raises IndexUnavailable while the rebuild is under way."""

    def read(state: _SearchState) -> SearchResult:
        with state.index.reading() as searcher:
            return run(searcher, state.cache_for(searcher), request)

    result = _guarded(read)
    if result is _HEALED:
        result = _guarded(read, heal=False)
    return result


def warm_spelling() -> int:
    """Reads the words spelling suggestions are drawn from (a new worker's warm-up: 20-30 ms
    at 10,000 providers that its first search with a misspelt word would pay). Returns how
    many there are."""

    def read(state: _SearchState) -> int:
        with state.index.reading() as searcher:
            return len(suggestions.known_words(searcher).words)

    return _guarded(read)


def index_providers(providers: Iterable) -> None:
    """Adds or replaces these providers' documents; call it after the database commit (a
    rebuild after damage reads them from the database). Raises IndexUnavailable."""
    documents = [to_document(provider) for provider in providers]
    _guarded(lambda state: state.index.update(documents))


def remove_providers(provider_ids: Iterable[int]) -> None:
    """Deletes these providers' documents; call it after the database commit. Raises
    IndexUnavailable."""
    provider_ids = list(provider_ids)
    _guarded(lambda state: state.index.remove(provider_ids))


def rebuild(providers: Iterable, on_progress: Callable[[int], None] | None = None) -> int:
    """Rebuilds the whole index from `providers` in a fresh folder, whatever state the old
    one is in; returns how many were indexed. Raises IndexUnavailable if it cannot be
    written (a read-only disk)."""
    guarded = _passing_through(providers)
    return _guarded(lambda state: state.index.rebuild(guarded, on_progress), heal=False)


def optimize() -> None:
    """Merges the index into one segment, so that deleted documents leave its files. Slow on
    large indexes (minutes at 100,000 documents): for the CLI, never in a request."""
    _guarded(lambda state: state.index.optimize())


def ensure_index(all_providers: Callable[[], Iterable], expected_count: int | None = None) -> bool:
    """Rebuilds the index if it is missing, unreadable, of an older schema, or holds another
    number of documents than `expected_count` (a process died between a commit and its index
    update). Returns True when it rebuilt; `all_providers` is called only then. Raises
    IndexUnavailable if it cannot be rebuilt."""
    index = _state().index
    try:
        return _guarded(
            lambda state: state.index.ensure(
                lambda: _passing_through(all_providers()), expected_count
            ),
            heal=False,
        )
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
    then moves the watermark to its last id. Returns the number of documents written (0 if
    the index was rebuilt instead), or None if another process held the lock for `timeout`
    seconds. Raises IndexUnavailable."""

    def passing_through(after_id: int) -> ChangeSet:
        try:
            return load(after_id)
        except Exception as error:
            raise _CallerError(error) from error

    result = _guarded(lambda state: changes.replay(state.index.path, passing_through, timeout))
    return 0 if result is _HEALED else result


version_of = inventory.version_of


def indexed_versions() -> dict[int, int]:
    """Provider id -> `updated` (Unix seconds) of every document. Raises IndexUnavailable
    (without rebuilding: this is for comparing the index with the database)."""
    return _guarded(lambda state: inventory.indexed_versions(state.index.path), heal=False)
