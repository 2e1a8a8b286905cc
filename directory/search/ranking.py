"""One page of hits in the order asked for, from orders and scores kept per searcher.

Whoosh's own search iterates every document the text matches, even with a filter that
keeps a hundred of them, and sorts the whole index for a name order. Here each word is
scored once per searcher (by whoosh, so the scores are its BM25F ones: a query's score is
the sum of its words'; each segment's part is kept across searchers, see segment_cache),
each sort order is computed once, and a query then only orders the
documents that passed its filters, or walks a cached order until its page is full.
"""

import heapq
import threading
from array import array

from directory.search import segment_cache

# Memory for the scores kept per searcher, in bytes (least recently used word dropped first).
MAX_SCORE_BYTES = 64 * 1024 * 1024
# A dict costs about this much per (document, score) pair; an array, 8 bytes per document of
# the index whether the word matches it or not.
_PAIR_BYTES = 100
# Below this share of the index, the filtered documents are sorted; above, the cached order
# is walked until the page is full.
SORT_SHARE = 8
INFINITY = float("inf")


class Ranking:
    """Sort orders and per-word scores of one searcher; dropped when the searcher changes."""

    def __init__(self, searcher, word_query):
        self.searcher = searcher
        self._word_query = word_query
        self._orders: dict[str, tuple[list[int], dict[int, int]]] = {}
        self._scores: dict[tuple[str, str], tuple[object, int]] = {}
        self._bytes = 0
        self._lock = threading.Lock()

    def order(self, sort: str) -> tuple[list[int], dict[int, int]]:
        """Every document in `sort` order ("name" or "updated"), and each one's position
        (each segment's part kept across searchers, see segment_cache)."""
        with self._lock:
            if sort not in self._orders:
                docs = segment_cache.order(
                    self.searcher, "updated" if sort == "updated" else "name"
                )
                self._orders[sort] = (docs, {doc: i for i, doc in enumerate(docs)})
            return self._orders[sort]

    def scores(self, word: str, locale: str = ""):
        """The score of `word` in each document it matches, by document number (texts in
        the other language than `locale` weigh less): a dict, or an array over the whole
        index when the word is common (8 bytes a document rather than about 100 a match)."""
        key = (word, locale)
        with self._lock:
            entry = self._scores.pop(key, None)
            if entry is None:
                query = self._word_query(word, locale)
                parts = segment_cache.word_scores(self.searcher, (repr(query),), query)
                size = self.searcher.doc_count_all()
                if sum(len(docs) for _o, docs, _s in parts) * _PAIR_BYTES > size * 8:
                    scores = array("d", bytes(8 * size))
                    for offset, docs, values in parts:
                        for doc, score in zip(docs, values, strict=True):
                            scores[doc + offset] = score
                    entry = (scores, 8 * size)
                else:
                    scores = {}
                    for offset, docs, values in parts:
                        scores.update(zip(map(offset.__add__, docs), values, strict=True))
                    entry = (scores, _PAIR_BYTES * len(scores))
                self._bytes += entry[1]
                while self._scores and self._bytes > MAX_SCORE_BYTES:
                    self._bytes -= self._scores.pop(next(iter(self._scores)))[1]
            self._scores[key] = entry
            return entry[0]

    def scorer(self, word: str, locale: str = ""):
        """A function doc -> score of `word` (0.0 where the word does not match)."""
        scores = self.scores(word, locale)
        if isinstance(scores, dict):
            return lambda doc: scores.get(doc, 0.0)
        return scores.__getitem__

    def nearest(self, final, distance, scorers: list, start: int, stop: int) -> list[int]:
        """Document numbers start:stop of `final`, nearest first (`distance`: doc -> km),
        then by relevance, then by name."""
        _docs, position = self.order("name")

        def key(doc):
            km = distance(doc)
            # Within a kilometre, relevance then name decide (centres make ties common).
            return (
                round(km) if km < INFINITY else km,
                -sum(s(doc) for s in scorers),
                position[doc],
            )

        return heapq.nsmallest(stop, final, key=key)[start:stop]

    def page(self, final, sort: str, scorers: list, start: int, stop: int) -> list[int]:
        """Document numbers start:stop of `final` (a set) in the order asked for; by
        relevance, the order of the sum of `scorers` (functions doc -> score)."""
        if sort == "relevance" and scorers:
            if len(scorers) == 1:
                score = scorers[0]
                key = lambda doc: (-score(doc), doc)  # noqa: E731
            else:
                key = lambda doc: (-sum(s(doc) for s in scorers), doc)  # noqa: E731
            return heapq.nsmallest(stop, final, key=key)[start:stop]
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
