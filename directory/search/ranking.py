"""One page of hits in the order asked for, from orders and scores kept per searcher.

Whoosh's own search iterates every document the text matches, even with a filter that
keeps a hundred of them, and sorts the whole index for a name order. Here each word is
scored once per searcher (by whoosh, so the scores are its BM25F ones: a query's score is
the sum of its words'; each segment's part is kept across searchers, see segment_cache)
into a vector over every document, each sort order is computed once, and a query then
only orders the documents that passed its filters, or walks a cached order until its page
is full. Vectors because a query's score combines several words, a need's services and its
software: done per document in Python, that took 17 to 56 ms for 6,000 to 9,000 matches at
10,000 providers; numpy does it in well under a millisecond.
"""

import heapq
import threading
from array import array

import numpy as np

from directory.search import docsets, segment_cache

# Memory for the score vectors kept per searcher, in bytes (least recently used word
# dropped first): 8 bytes a document of the index per word, 40 words at 100,000. A word
# dropped here is spread again from the scores segment_cache keeps (about 1 ms at 100,000).
MAX_SCORE_BYTES = 32 * 1024 * 1024
# Below this share of the index, the filtered documents are sorted; above, the cached order
# is walked until the page is full.
SORT_SHARE = 8
INFINITY = float("inf")


def top(docs: np.ndarray, scores: np.ndarray, start: int, stop: int) -> list[int]:
    """docs[start:stop] by score, highest first, ties by document number (`scores` holds
    each of `docs`' scores). Only the `stop` best and those tied with the last are sorted."""
    if len(docs) > stop > 0:
        kth = np.partition(scores, len(scores) - stop)[len(scores) - stop]
        keep = scores >= kth
        docs, scores = docs[keep], scores[keep]
    order = np.lexsort((docs, -scores))[start:stop]
    return docs[order].tolist()


class Ranking:
    """Sort orders and per-word scores of one searcher; dropped when the searcher changes."""

    def __init__(self, searcher, word_query):
        self.searcher = searcher
        self._word_query = word_query
        self._orders: dict[str, tuple[array, array]] = {}
        self.size = searcher.doc_count_all()
        self._scores: dict[tuple[str, str], np.ndarray] = {}
        self._bytes = 0
        self._lock = threading.Lock()

    def order(self, sort: str) -> tuple[array, array]:
        """Every document in `sort` order ("name" or "updated"), and each one's position
        (each segment's part kept across searchers, see segment_cache). Arrays of machine
        integers, indexed and walked as fast as lists: a list of 100,000 took 8 MB."""
        with self._lock:
            if sort not in self._orders:
                docs = segment_cache.order(
                    self.searcher, "updated" if sort == "updated" else "name"
                )
                self._orders[sort] = (_machine_ints(docs), _positions(docs))
            return self._orders[sort]

    def scores(self, word: str, locale: str = "") -> np.ndarray:
        """The score of `word` in every document, by document number (0 where it does
        not match; texts in the other language than `locale` weigh less). Read only."""
        key = (word, locale)
        with self._lock:
            vector = self._scores.pop(key, None)
            if vector is None:
                query = self._word_query(word, locale)
                vector = np.zeros(self.size)
                for offset, docs, values in segment_cache.word_scores(
                    self.searcher, (repr(query),), query
                ):
                    if len(docs):
                        local = np.frombuffer(docs, dtype=np.int32)
                        vector[local + offset] = np.frombuffer(values, dtype=np.float64)
                vector.flags.writeable = False
                self._bytes += vector.nbytes
                while self._scores and self._bytes > MAX_SCORE_BYTES:
                    self._bytes -= self._scores.pop(next(iter(self._scores))).nbytes
            self._scores[key] = vector
            return vector

    def nearest(self, final, distance, scores, start: int, stop: int) -> list[int]:
        """Document numbers start:stop of `final`, nearest first (`distance`: doc -> km),
        then by relevance (`scores`, a vector, or None), then by name."""
        _docs, position = self.order("name")
        relevance = scores.tolist() if scores is not None else None

        def key(doc):
            km = distance(doc)
            # Within a kilometre, relevance then name decide (centres make ties common).
            return (
                round(km) if km < INFINITY else km,
                -relevance[doc] if relevance is not None else 0.0,
                position[doc],
            )

        return heapq.nsmallest(stop, final, key=key)[start:stop]

    def most_confident(self, final, confidence, start: int, stop: int) -> list[int]:
        """Document numbers start:stop of `final`: those with a `confidence` (a vector over
        every document, 0 for most) first, highest first, then by name; the others after
        them, by name."""
        _docs, position = self.order("name")
        confident = [doc for doc in np.flatnonzero(confidence).tolist() if doc in final]
        confident.sort(key=lambda doc: (-confidence[doc], position[doc]))
        if stop <= len(confident):
            return confident[start:stop]
        rest = docsets.DocSet(final.bits & ~docsets.from_docs(confident))
        skip = max(0, start - len(confident))
        return confident[start:] + self.page(rest, "name", None, skip, stop - len(confident))

    def page(self, final, sort: str, scores, start: int, stop: int) -> list[int]:
        """Document numbers start:stop of `final` (a DocSet) in the order asked for; by
        relevance (or "recommended", weighed by the caller), the order of `scores` (a vector
        over every document)."""
        if sort in ("relevance", "recommended") and scores is not None:
            docs = np.flatnonzero(docsets.mask(final.bits, self.size))
            return top(docs, scores[docs], start, stop)
        docs, position = self.order("updated" if sort == "updated" else "name")
        if len(final) * SORT_SHARE < len(docs):
            return heapq.nsmallest(stop, final, key=position.__getitem__)[start:stop]
        chosen = []
        for doc in docs:
            if doc in final:
                chosen.append(doc)
                if len(chosen) == stop:
                    break
        return chosen[start:stop]


def _machine_ints(vector: np.ndarray) -> array:
    found = array("q")
    found.frombytes(vector.astype(np.int64).tobytes())
    return found


def _positions(docs: np.ndarray) -> array:
    """Each document's position in `docs` (which holds every document number once), by
    document number, built in numpy (a dict of 100,000 entries took 10 ms)."""
    positions = np.empty(len(docs), dtype=np.int64)
    positions[docs] = np.arange(len(docs))
    return _machine_ints(positions)
