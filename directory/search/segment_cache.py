"""Word scores, sort orders and spelling words kept per index segment, across searchers.

A commit (an approval, an update) adds a small segment and leaves the big ones as they were,
but each new searcher used to score every word and sort every document again: at 10,000
providers the first search after an approval paid 20 to 90 ms, at 100,000 ten times that.
Here a segment's sort keys are kept until the segment goes (a merge), and a word's scores in
a segment are kept while the index's size stays within 1 % of what it was when they were
computed. Scores depend on the whole index's statistics (BM25F's idf and average lengths),
so a kept score is off by at most what that 1 % changes; words matching few documents are
cheap to score again and are never kept, so that a rare word's weight follows each commit.
Deleted documents may stay in what is kept: callers only ever look up documents that passed
their filters, and deleted ones never do.
"""

import bisect
import itertools
from array import array
from dataclasses import dataclass

import numpy as np

from directory.search import bm25
from directory.search.kept import KeptBytes

# Bytes kept for all segments together, least recently used first out, in two budgets: the
# words' scores, which grow with the words searched (a worker's warm-up keeps about 52 MB
# at 100,000: with 40 MB, its first visitors found common words cold again), and what each
# segment needs whatever the query (orders, field lengths, spelling words, columns: about
# 45 MB at 100,000), which scores must not push out (a merged order is 16 MB at 100,000
# and 0.2 s to sort again).
MAX_SCORE_BYTES = 64 * 1024 * 1024
MAX_STRUCTURE_BYTES = 64 * 1024 * 1024
# A word's scores in a segment are kept across commits only when it matches at least this
# many documents there, and while the index's document count moved by at most this share.
KEEP_MIN_MATCHES = 200
KEEP_MAX_DRIFT = 0.01
# Bytes counted per kept document (a number in each of two arrays, or a sort key).
_SCORE_BYTES = 12
_ORDER_BYTES = 80
_WORD_BYTES = 60
# Below this share of the first segment's keys (1/64), the other segments' keys are inserted
# into its order rather than all sorted together.
SMALL_RUNS = 64


@dataclass(frozen=True)
class _Kept:
    value: object
    size: int
    documents: int = 0


def _kept_size(kept: _Kept) -> int:
    return kept.size


_scores = KeptBytes(lambda: MAX_SCORE_BYTES, _kept_size)
_structure = KeptBytes(lambda: MAX_STRUCTURE_BYTES, _kept_size)


def _segment_id(reader):
    segment = reader.segment()
    return segment.segment_id() if segment is not None else None


def _store(key) -> KeptBytes:
    return _scores if key[0] == "scores" else _structure


def _take(key) -> _Kept | None:
    return _store(key).get(key)


def _keep(key, kept: _Kept) -> None:
    _store(key).keep(key, kept)


def clear() -> None:
    _scores.clear()
    _structure.clear()


def _segment_scores(sub, query) -> tuple:
    """Local document numbers and their scores, with the whole index's statistics (whoosh's
    scorers ask the parent searcher): by numpy (bm25) for word queries, else by whoosh."""
    computed = bm25.segment_scores(sub, query, _field_lengths)
    if computed is not None:
        return computed
    results = sub.search(query, limit=None)
    return array("i", (doc for _s, doc in results.top_n)), array(
        "d", (score for score, _d in results.top_n)
    )


def _kept_for(reader, kind: str, name: str, compute):
    """What `compute()` gives for this segment, as (value, size in bytes), kept under
    (kind, segment, name) until the segment goes; the value is returned."""
    segment = _segment_id(reader)
    cache_key = (kind, segment, name)
    kept = _take(cache_key) if segment is not None else None
    if kept is None:
        kept = _Kept(*compute())
        if segment is not None:
            _keep(cache_key, kept)
    return kept.value


def _field_lengths(reader, fieldname: str):
    """A segment's field lengths (bm25.field_lengths), kept until the segment goes."""

    def read():
        lengths = bm25.field_lengths(reader, fieldname)
        return lengths, lengths.nbytes

    return _kept_for(reader, "lengths", fieldname, read)


def word_scores(searcher, key: tuple, query) -> list[tuple[int, array, array]]:
    """For each segment of `searcher`: its offset, then the documents `query` matches and
    their scores (segment-local numbers). `key` names the query exactly."""
    documents = searcher.doc_count()
    parts = []
    for sub, offset in searcher.leaf_searchers():
        segment = _segment_id(sub.reader())
        cache_key = ("scores", segment, *key)
        kept = _take(cache_key) if segment is not None else None
        if kept is None or abs(documents - kept.documents) > KEEP_MAX_DRIFT * kept.documents:
            docs, scores = _segment_scores(sub, query)
            if segment is not None and len(docs) >= KEEP_MIN_MATCHES:
                _keep(cache_key, _Kept((docs, scores), _SCORE_BYTES * len(docs), documents))
        else:
            docs, scores = kept.value
        parts.append((offset, docs, scores))
    return parts


def _segment_order(reader, sort: str) -> list[tuple]:
    names = reader.column_reader("name_sort")
    local = range(reader.doc_count_all())
    if sort == "updated":
        updated = reader.column_reader("updated")
        return sorted((-updated[doc], names[doc], doc) for doc in local)
    return sorted((names[doc], doc) for doc in local)


def order(searcher, sort: str) -> np.ndarray:
    """Every document number of `searcher` (deleted ones included) in `sort` order ("name",
    or "updated": newest first, then by name), ties by document number, as a vector."""
    runs = []
    for sub, offset in searcher.leaf_searchers():
        reader = sub.reader()

        def read(reader=reader):
            keys = _segment_order(reader, sort)
            return keys, _ORDER_BYTES * len(keys)

        runs.append((offset, _kept_for(reader, "order", sort, read), _segment_id(reader)))
    if len(runs) == 1 and runs[0][0] == 0:
        keys = runs[0][1]
        return np.fromiter((key[-1] for key in keys), dtype=np.int64, count=len(keys))
    # The big segments' merged order is kept under their ids and offsets, which a commit
    # leaves as they were; the small segments' few keys are placed into it by bisection.
    # Sorting every key again after each approval took 30-70 ms at 100,000 providers.
    total = sum(len(keys) for _offset, keys, _segment in runs)
    big = [run for run in runs if len(run[1]) * SMALL_RUNS >= total]
    small = sorted(
        (*key[:-1], key[-1] + offset)
        for offset, keys, _segment in runs
        if len(keys) * SMALL_RUNS < total
        for key in keys
    )
    base_keys, base_docs = _merged(sort, big)
    if not small:
        return base_docs
    at = [bisect.bisect(base_keys, key) for key in small]
    return np.insert(base_docs, at, [key[-1] for key in small])


def _merged(sort: str, runs) -> tuple[list, np.ndarray]:
    """The keys of these (offset, keys, segment) runs merged, with index-wide document
    numbers, and those numbers as a vector; kept while the segments and offsets stay."""
    parts = tuple((segment, offset) for offset, _keys, segment in runs)
    known = all(segment is not None for segment, _offset in parts)
    cache_key = ("merged", sort, parts)
    kept = _take(cache_key) if known else None
    if kept is None:
        # Each run is sorted: merging them is one pass of Timsort over ordered runs.
        keys = sorted(
            itertools.chain.from_iterable(
                ((*key[:-1], key[-1] + offset) for key in keys) for offset, keys, _s in runs
            )
        )
        docs = np.fromiter((key[-1] for key in keys), dtype=np.int64, count=len(keys))
        kept = _Kept((keys, docs), _ORDER_BYTES * len(keys))
        if known:
            _keep(cache_key, kept)
    return kept.value


@dataclass(frozen=True)
class SpellingWords:
    """The words of a spelling field over a searcher's segments, and the same by length:
    a word two edits away from another is at most two letters longer or shorter."""

    words: frozenset[str]
    by_length: dict[int, list[str]]


# The last merge of the segments' words, by (field, segment ids): the same for every search
# until a commit (merging them was 8 ms of each search with an unknown word at 100,000).
_last_spelling: dict[tuple, SpellingWords] = {}


def spelling_words(searcher, fieldname: str) -> SpellingWords:
    """Every word of the spelling field `fieldname` in `searcher`'s index, each segment's
    read once and kept until the segment goes (reading them all is 20-30 ms at 10,000)."""
    readers = [sub.reader() for sub, _offset in searcher.leaf_searchers()]
    key = (fieldname, *(_segment_id(reader) for reader in readers))
    merged = _last_spelling.get(key) if None not in key else None
    if merged is not None:
        return merged
    words = _terms_of(readers, fieldname)
    by_length: dict[int, list[str]] = {}
    for word in sorted(words):
        by_length.setdefault(len(word), []).append(word)
    merged = SpellingWords(frozenset(words), by_length)
    if None not in key:
        _last_spelling.clear()
        _last_spelling[key] = merged
    return merged


def field_terms(searcher, fieldname: str) -> list[str]:
    """The terms of `fieldname` over the searcher's segments, in order (whoosh merges every
    segment's lexicon in Python for each new searcher, after every approval)."""
    readers = [sub.reader() for sub, _offset in searcher.leaf_searchers()]
    return sorted(_terms_of(readers, fieldname))


def _terms_of(readers, fieldname: str) -> set[str]:
    """The terms of `fieldname` in these segments, each segment's read once and kept."""
    terms: set[str] = set()
    for reader in readers:

        def read(reader=reader):
            found = tuple(reader.field_terms(fieldname)) if fieldname in reader.schema else ()
            return found, _WORD_BYTES * len(found)

        terms.update(_kept_for(reader, "terms", fieldname, read))
    return terms


def column_values(reader, fieldname: str):
    """Every document's value in the numeric column `fieldname` of this segment, as a numpy
    vector, read once and kept until the segment goes."""

    def read():
        column = reader.column_reader(fieldname)
        count = reader.doc_count_all()
        values = np.fromiter((column[doc] for doc in range(count)), dtype=np.int64, count=count)
        return values, values.nbytes

    return _kept_for(reader, "column", fieldname, read)
