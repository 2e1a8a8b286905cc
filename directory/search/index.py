"""Opens, checks, updates and rebuilds the Whoosh index; one instance per process."""

import fcntl
import gc
import itertools
import shutil
import threading
import uuid
import warnings
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh import writing
from whoosh.index import LockError
from whoosh.query import Every

from directory.search.documents import to_document
from directory.search.schema import SCHEMA_VERSION, build_schema, spelling_words

VERSION_FILE = "directory-schema-version"
# How long a writer waits for another process's lock before giving up, in seconds.
WRITER_TIMEOUT = 30.0
BATCH_SIZE = 500
# A rebuild of more documents than this analyses them in PARALLEL_PROCS processes (whoosh's
# multi-process writer, one segment per process): a single writer managed about 250
# documents per second, too slow for 100,000 providers.
PARALLEL_FROM = 2000
PARALLEL_PROCS = 2
# Memory per writer process before it spills sorted postings to disk, in MB.
WRITER_LIMIT_MB = 128
# Segments as separate files: whoosh reads a compound segment file by copying each part into
# a BytesIO, so every worker held a private copy of the index (about 450 MB at 100,000
# providers); separate files are read where needed and the page cache is shared.
WRITER_OPTIONS = {"timeout": WRITER_TIMEOUT, "delay": 0.05, "compound": False}


@contextmanager
def quiet_leaks():
    """Whoosh leaves files open when it fails to read a damaged index; they are closed when
    the error is dropped, and those closes must not count as warnings of ours."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        yield


def collect_leaked_files() -> None:
    """After a failure only: close what whoosh left open, quietly (a full collection costs
    milliseconds, so never on the normal path)."""
    with quiet_leaks():
        gc.collect()


class IndexUnavailable(Exception):
    """The index is missing, unreadable or of an older schema: rebuild it."""


class IndexBusy(IndexUnavailable):
    """Another process held the writer lock too long: the index is sound, try again later."""


class SearchIndex:
    """The index of one folder. Readers are opened lazily and refreshed only when it changed,
    so that a worker forked from a master never shares an open searcher."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._index = None
        self._searcher = None
        self._build_id = None
        # Held while a search reads, and while readers are closed: a rebuild in a thread never
        # closes a searcher under a running query.
        self._lock = threading.RLock()

    # -- health -----------------------------------------------------------------------------

    def is_current(self) -> bool:
        """True when the index opens, answers a query and was built with this schema. Never
        raises: whatever a damaged folder throws means "not current"."""
        with quiet_leaks():
            try:
                version = self._stamp().partition(" ")[0]
                if version != SCHEMA_VERSION:
                    return False
                ix = whoosh_index.open_dir(str(self.path))
                with ix.searcher() as searcher:
                    searcher.search(Every(), limit=1)
                    searcher.doc_count()
                return True
            except Exception:  # any failure to read it means "rebuild it"
                pass
        collect_leaked_files()
        return False

    def stamp_or_none(self) -> str | None:
        try:
            return self._stamp()
        except OSError:
            return None

    # -- reading ----------------------------------------------------------------------------

    def _open(self):
        if self._index is None:
            problem = None
            with quiet_leaks():
                try:
                    self._index = whoosh_index.open_dir(str(self.path))
                except (OSError, EOFError, whoosh_index.IndexError) as error:
                    problem = f"{self.path}: {error!r}"
            if problem:
                collect_leaked_files()
                raise IndexUnavailable(problem)
        return self._index

    def _stamp(self) -> str:
        """ "<schema version> <build id>": a rebuild swaps in a new folder whose generation
        numbers may repeat the old one's, so readers also compare the build id."""
        return (self.path / VERSION_FILE).read_text().strip()

    @contextmanager
    def reading(self):
        with self._lock:
            yield self.searcher()

    def searcher(self):
        """This process's searcher, reopened only when another writer committed."""
        with self._lock:
            build_id = self.stamp_or_none()
            if self._searcher is not None and build_id != self._build_id:
                self.close()
            if self._searcher is None:
                self._searcher = self._open().searcher()
                self._build_id = build_id
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
        try:
            return self._open().writer(**WRITER_OPTIONS)
        except LockError as error:
            raise IndexBusy(f"{self.path}: still locked after {WRITER_TIMEOUT} s") from error

    def document_count(self) -> int:
        return self.searcher().doc_count()

    def update(self, documents: list[dict]) -> None:
        """Adds or replaces these documents (from documents.to_document), in one commit."""
        writer = self._writer()
        try:
            for document in documents:
                writer.update_document(**document)
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
    def _build_lock(self, blocking: bool = True):
        """A lock across processes, so that several workers starting at once, or finding the
        index broken at once, rebuild it once. Yields False when `blocking` is off and another
        process holds it (the lock dies with its process: a killed rebuild leaves none)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        lock_path = self.path.parent / f"{self.path.name}.lock"
        with open(lock_path, "w") as lock_file:
            try:
                fcntl.flock(lock_file, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
            except BlockingIOError:
                yield False
                return
            try:
                yield True
            finally:
                fcntl.flock(lock_file, fcntl.LOCK_UN)

    def rebuild(
        self,
        providers: Iterable,
        on_progress: Callable[[int], None] | None = None,
    ) -> int:
        """Replaces the whole index with these providers; returns how many were indexed.
        Waits for a rebuild under way in another process, then builds its own."""
        with self._build_lock():
            return self._build_fresh(providers, on_progress)

    def ensure(self, load: Callable[[], Iterable], expected_count: int | None) -> bool:
        """Rebuilds the index from `load()` unless it is sound and holds `expected_count`
        documents (checked again under the lock: workers starting at once rebuild once).
        True if it rebuilt."""
        if self._sound(expected_count):
            return False
        with self._build_lock():
            if self._sound(expected_count):
                return False
            self._build_fresh(load(), None)
            return True

    def _sound(self, expected_count: int | None) -> bool:
        if not self.is_current():
            return False
        with quiet_leaks():
            try:
                return expected_count is None or self.document_count() == expected_count
            except Exception:  # any failure to read it means "rebuild it"
                return False
            finally:
                self.close()

    def heal(self, seen_stamp: str | None, load: Callable[[], Iterable]) -> bool:
        """Rebuilds the index from `load()` unless another process is rebuilding it (False) or
        replaced the folder since this one found it broken with `seen_stamp` (True: nothing
        to do). True once the index was rebuilt."""
        with self._build_lock(blocking=False) as held:
            if not held:
                return False
            if self.stamp_or_none() != seen_stamp and self.is_current():
                return True
            self._build_fresh(load(), None)
            return True

    def _build_fresh(self, providers: Iterable, on_progress) -> int:
        """Builds the index whole in a sibling folder, then swaps it in, so that readers never
        see a half-built index and nothing of a damaged folder is ever trusted."""
        self.close()
        fresh = self.path.with_name(self.path.name + ".new")
        stale = self.path.with_name(self.path.name + ".old")
        for leftover in (fresh, stale):
            shutil.rmtree(leftover, ignore_errors=True)
        fresh.mkdir(parents=True)
        count = self._fill(
            whoosh_index.create_in(str(fresh), build_schema()), providers, on_progress
        )
        (fresh / VERSION_FILE).write_text(f"{SCHEMA_VERSION} {uuid.uuid4().hex}")
        if self.path.exists():
            self.path.rename(stale)
        fresh.rename(self.path)
        shutil.rmtree(stale, ignore_errors=True)
        self.close()
        return count

    @staticmethod
    def _fill(ix, providers: Iterable, on_progress) -> int:
        documents = _rebuild_documents(providers)
        head = list(itertools.islice(documents, PARALLEL_FROM))
        if len(head) < PARALLEL_FROM:
            writer = ix.writer(**WRITER_OPTIONS)
        else:
            writer = ix.writer(
                **WRITER_OPTIONS,
                procs=PARALLEL_PROCS,
                multisegment=True,
                batchsize=BATCH_SIZE // PARALLEL_PROCS,
                limitmb=WRITER_LIMIT_MB,
            )
        count = 0
        try:
            for document in itertools.chain(head, documents):
                writer.add_document(**document)
                count += 1
                if on_progress and count % BATCH_SIZE == 0:
                    on_progress(BATCH_SIZE)
        except BaseException:
            writer.cancel()
            raise
        writer.commit(mergetype=writing.CLEAR)
        if on_progress:
            on_progress(count % BATCH_SIZE)
        return count


def _rebuild_documents(providers: Iterable) -> Iterator[dict]:
    """The documents of a whole rebuild, where each spelling word goes with its first
    document only: the "did you mean" corrector reads the field's word list, never its
    postings, and repeating every word of every document was half of the indexing time.
    (A word whose only carrier is later removed drops out of suggestions until the next
    rebuild; updates index every word of the documents they change.)"""
    seen: set[str] = set()
    for provider in providers:
        document = to_document(provider)
        words = set(spelling_words(document["spell"])) - seen
        seen |= words
        document["spell"] = " ".join(sorted(words))
        yield document
