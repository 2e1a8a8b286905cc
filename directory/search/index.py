"""Opens, checks, updates and rebuilds the Whoosh index; one instance per process."""

import fcntl
import shutil
import threading
import warnings
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh import writing
from whoosh.query import Every

from directory.search.documents import to_document
from directory.search.schema import SCHEMA_VERSION, build_schema

VERSION_FILE = "directory-schema-version"
# How long a writer waits for another process's lock before giving up, in seconds.
WRITER_TIMEOUT = 30.0
BATCH_SIZE = 500


@contextmanager
def _quiet_leaks():
    """Whoosh leaves a file open when it fails to read a damaged index; the file is closed
    when the error is dropped, and that close must not count as a warning of ours."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        yield


class IndexUnavailable(Exception):
    """The index is missing, unreadable or of an older schema: rebuild it."""


class SearchIndex:
    """The index of one folder. Readers are opened lazily and refreshed only when it changed,
    so that a worker forked from a master never shares an open searcher."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._index = None
        self._searcher = None
        self._lock = threading.Lock()

    # -- health -----------------------------------------------------------------------------

    def is_current(self) -> bool:
        """True when the index opens, answers a query and was built with this schema."""
        with _quiet_leaks():
            try:
                version = (self.path / VERSION_FILE).read_text().strip()
                if version != SCHEMA_VERSION:
                    return False
                ix = whoosh_index.open_dir(str(self.path))
                with ix.searcher() as searcher:
                    searcher.search(Every(), limit=1)
                return True
            except (OSError, EOFError, ValueError, whoosh_index.IndexError):
                return False

    # -- reading ----------------------------------------------------------------------------

    def _open(self):
        if self._index is None:
            problem = None
            with _quiet_leaks():
                try:
                    self._index = whoosh_index.open_dir(str(self.path))
                except (OSError, EOFError, whoosh_index.IndexError) as error:
                    problem = f"{self.path}: {error!r}"
            if problem:
                raise IndexUnavailable(problem)
        return self._index

    def searcher(self):
        """This process's searcher, reopened only when another writer committed."""
        with self._lock:
            if self._searcher is None:
                self._searcher = self._open().searcher()
            elif not self._searcher.up_to_date():
                # A new searcher rather than Searcher.refresh(): whoosh-reloaded 2.7.5's
                # refresh merges the old segment list into the new one, so documents deleted
                # since come back (and it fails outright on an empty index).
                self._searcher.close()
                self._searcher = self._open().searcher()
            return self._searcher

    def close(self) -> None:
        with self._lock:
            if self._searcher is not None:
                self._searcher.close()
            self._searcher = None
            self._index = None

    # -- writing ----------------------------------------------------------------------------

    def _writer(self):
        return self._open().writer(timeout=WRITER_TIMEOUT, delay=0.05)

    def update(self, providers: Iterable) -> None:
        """Adds or replaces the documents of these providers, in one commit."""
        writer = self._writer()
        try:
            for provider in providers:
                writer.update_document(**to_document(provider))
        except BaseException:
            writer.cancel()
            raise
        writer.commit()

    def remove(self, provider_ids: Iterable[int]) -> None:
        writer = self._writer()
        for provider_id in provider_ids:
            writer.delete_by_term("id", str(provider_id))
        writer.commit()

    def optimize(self) -> None:
        writer = self._writer()
        writer.commit(optimize=True)

    @contextmanager
    def _build_lock(self):
        """A lock across processes, so that several workers starting at once rebuild once."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        lock_path = self.path.parent / f"{self.path.name}.lock"
        with open(lock_path, "w") as lock_file:
            fcntl.flock(lock_file, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock_file, fcntl.LOCK_UN)

    def rebuild(
        self,
        providers: Iterable,
        on_progress: Callable[[int], None] | None = None,
    ) -> int:
        """Replaces the whole index with these providers; returns how many were indexed.

        With the current schema, the new documents replace the old segments in one commit, so
        readers keep answering from the previous generation meanwhile. With a missing, broken
        or older index, the folder is created afresh.
        """
        with self._build_lock():
            self.close()
            if not self.is_current():
                if self.path.exists():
                    shutil.rmtree(self.path)
                self.path.mkdir(parents=True)
                whoosh_index.create_in(str(self.path), build_schema())
            writer = self._writer()
            count = 0
            try:
                for provider in providers:
                    writer.add_document(**to_document(provider))
                    count += 1
                    if on_progress and count % BATCH_SIZE == 0:
                        on_progress(BATCH_SIZE)
            except BaseException:
                writer.cancel()
                raise
            writer.commit(mergetype=writing.CLEAR)
            if on_progress:
                on_progress(count % BATCH_SIZE)
            (self.path / VERSION_FILE).write_text(SCHEMA_VERSION)
            self.close()
            return count
