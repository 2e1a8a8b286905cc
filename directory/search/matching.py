"""Which documents a parsed query matches, as bitmaps kept per searcher.

A word matches in any text field under each of its forms (see folding); an alternative needs
all its words (side by side for a phrase, checked on the `phrase` field's positions); a
clause needs one of its alternatives, or the services or software of the vocabulary entry it
names; a query needs every clause and none of its exclusions.
"""

import itertools
import operator
from functools import reduce

import numpy as np
from whoosh.query import Or, Phrase, Term

from directory.models import normalise_tag
from directory.models.recommendations import Recommendations
from directory.search import bm25, docsets, folding, segment_cache, wording
from directory.search.docsets import DocSet
from directory.search.facets import AREA_FIELD, DEPARTEMENT_PREFIX
from directory.search.ranking import Ranking
from directory.search.schema import PHRASE_FIELDS, TEXT_FIELDS, build_schema
from directory.search.syntax import (
    Alternative,
    Clause,
    Expansion,
    ParsedQuery,
    Thesaurus,
    is_stop_word,
    words_of,
)

# Weight of a text in the other language than the reader's.
OTHER_LANGUAGE = 0.5
# Words whose document sets each searcher keeps.
WORD_CACHE = 2048
# Combinations of the forms of a phrase's words tried (a word typed without accents may
# have two stems).
MAX_PHRASES = 8
_SCHEMA = build_schema()


def analyze(fieldname: str, text: str) -> list[str]:
    """The terms the index holds for `text` in this field (also used by tests' oracles)."""
    return [token.text for token in _SCHEMA[fieldname].analyzer(text, mode="query")]


def word_terms(fieldname: str, forms) -> set[str]:
    """The terms of a field that a word searched under these forms matches."""
    return {term for form in forms for term in analyze(fieldname, form)}


def _boost(fieldname: str, locale: str) -> float:
    other = fieldname.startswith("text_") and locale and not fieldname.endswith(locale)
    return OTHER_LANGUAGE if other else 1.0


def union(bitmaps) -> int:
    return reduce(operator.or_, bitmaps, 0)


def intersection(bitmaps, start: int) -> int:
    return reduce(operator.and_, bitmaps, start)


class FacetCache:
    """Bitmaps of each facet value and word for one searcher; dropped when it changes (the
    per-segment bitmaps they are made of stay, see docsets)."""

    def __init__(self, searcher):
        self.searcher = searcher
        self._sets: dict[tuple[str, str], int] = {}
        self._values: dict[str, list[str]] = {}
        # Least recently used first (dicts keep insertion order).
        self._words: dict[str, tuple[tuple[str, ...], int]] = {}
        self.all_docs = docsets.all_bits(searcher)
        self.ranking = Ranking(searcher, self.word_query)
        self.thesaurus: Thesaurus | None = None
        self._service_counts: np.ndarray | None = None
        self._served: dict[int, list[str]] | None = None
        self._stale: tuple[int, DocSet] | None = None
        self._confidence: np.ndarray | None = None
        self._terms: dict[tuple[str, str], frozenset[str]] = {}
        self._evidence: dict[tuple[str, ...], int] = {}
        self._as_written: dict[tuple[str, ...], int] = {}

    def use(self, thesaurus: Thesaurus | None) -> None:
        """Reads words with this vocabulary's accented forms too (each process has one)."""
        if thesaurus is not self.thesaurus:
            self._words.clear()
            self._terms.clear()
            self._evidence.clear()
            self.ranking = Ranking(self.searcher, self.word_query)
            self.thesaurus = thesaurus

    def docs(self, fieldname: str, value: str) -> int:
        key = (fieldname, value)
        if key not in self._sets:
            self._sets[key] = docsets.term_bits(self.searcher, fieldname, value, facet=True)
        return self._sets[key]

    def values(self, fieldname: str) -> list[str]:
        if fieldname not in self._values:
            self._values[fieldname] = segment_cache.field_terms(self.searcher, fieldname)
        return self._values[fieldname]

    def service_counts(self) -> np.ndarray:
        """The number of services of each document, at least 1 (computed once per
        searcher): a vector over every document."""
        if self._service_counts is None:
            counts = np.zeros(self.ranking.size)
            for value in self.values("service"):
                counts += docsets.mask(self.docs("service", value), self.ranking.size)
            counts[counts == 0] = 1
            counts.flags.writeable = False
            self._service_counts = counts
        return self._service_counts

    def stale_docs(self, before: int) -> DocSet:
        """The documents last verified before the day `before` (date.toordinal(); never
        verified is 0), kept per searcher and day: one comparison of each segment's
        column of days, which the segment keeps across commits (a range query of whoosh
        walked the documents in Python: about 1 s at 100,000 providers, after every
        approval, for the first search sorted by relevance)."""
        if self._stale is None or self._stale[0] != before:
            bits = 0
            for sub, offset in self.searcher.leaf_searchers():
                reader = sub.reader()
                days = segment_cache.column_values(reader, "verified")
                bits |= docsets.from_mask(bm25.live_mask(reader, days < before)) << offset
            self._stale = (before, DocSet(bits))
        return self._stale[1]

    def confidence(self) -> np.ndarray:
        """Each document's Recommendations.confidence (0 below MIN_FOR_A_COUNT published
        testimonials): a vector over every document, made once per searcher from the
        bitmap of each value of the `opinions` field ("5/4"), which each segment keeps
        across commits (reading two numeric columns per document took 6 to 10 ms at 10,000
        providers on every new searcher)."""
        if self._confidence is None:
            vector = np.zeros(self.ranking.size)
            for value in self.values("opinions"):
                confidence = Recommendations.from_token(value).confidence
                if confidence:
                    docs = docsets.mask(self.docs("opinions", value), self.ranking.size)
                    vector[docs] = confidence
            vector.flags.writeable = False
            self._confidence = vector
        return self._confidence

    def departements_served(self) -> dict[int, list[str]]:
        """Doc -> codes of the départements it serves (read once per searcher from the area
        tokens, a région's provider holding each of its départements)."""
        if self._served is None:
            served: dict[int, list[str]] = {}
            for value in self.values(AREA_FIELD):
                if value.startswith(DEPARTEMENT_PREFIX):
                    code = value[len(DEPARTEMENT_PREFIX) :]
                    for doc in docsets.to_docs(self.docs(AREA_FIELD, value)):
                        served.setdefault(doc, []).append(code)
            self._served = served
        return self._served

    def _word(self, word: str) -> tuple[tuple[str, ...], int]:
        """A word's forms and documents; the last WORD_CACHE words are kept, since a few
        words (a service, a software, a town) make most queries."""
        key = word.lower()
        entry = self._words.pop(key, None)
        if entry is None:
            forms = folding.forms(self.searcher.reader(), word)
            if self.thesaurus is not None:
                forms = tuple(sorted({*forms, *self.thesaurus.accented(word)}))
            docs = 0
            for fieldname in TEXT_FIELDS:
                for term in word_terms(fieldname, forms):
                    docs |= docsets.term_bits(self.searcher, fieldname, term)
            entry = (forms, docs)
            if len(self._words) >= WORD_CACHE:
                del self._words[next(iter(self._words))]
        self._words[key] = entry
        return entry

    def forms(self, word: str) -> tuple[str, ...]:
        return self._word(word)[0]

    def terms(self, fieldname: str, word: str) -> frozenset[str]:
        """The terms of `word` (under all its forms) in a field, memoised per searcher."""
        key = (fieldname, word)
        found = self._terms.get(key)
        if found is None:
            if len(self._terms) >= WORD_CACHE:
                self._terms.clear()
            found = self._terms[key] = frozenset(word_terms(fieldname, self.forms(word)))
        return found

    def word_docs(self, word: str) -> int:
        """Documents matching `word` in any text field, with or without its accents."""
        return self._word(word)[1]

    def word_query(self, word: str, locale: str = ""):
        """The whoosh query of a word, which scores it (BM25F over the text fields); the text
        of the other language than `locale` weighs OTHER_LANGUAGE: on the French site, a
        provider whose French text names the word shows it in the reader's language."""
        return Or(
            [
                Term(f, term, boost=_boost(f, locale))
                for f in TEXT_FIELDS
                for term in sorted(self.terms(f, word))
            ]
        )

    def evidence(self, expansion: Expansion) -> int:
        """Documents holding one of an entry's other terms (every word of it), kept per
        searcher. A set, and words not checked side by side: scoring each synonym's words
        over the whole index, or checking their positions, made a first search of "site" or
        "visioconférence" cost 0.3 to 0.8 s at 10,000 (this only ranks what matched; counting
        the terms each provider holds ranked no better on bench/relevance)."""
        found = self._evidence.get(expansion.words)
        if found is None:
            found = 0
            for term in expansion.words:
                content = [word for word in words_of(term) if not is_stop_word(word)]
                if content:
                    found |= self.alternative_docs(Alternative(tuple(content)))
            if len(self._evidence) >= WORD_CACHE:
                self._evidence.clear()
            self._evidence[expansion.words] = found
        return found

    def alternative_docs(self, alternative: Alternative) -> int:
        content = [word for word in alternative.words if not is_stop_word(word)]
        if not content:
            return 0
        docs = intersection((self.word_docs(word) for word in content), self.all_docs)
        if alternative.phrase and docs:
            docs &= self._phrase_docs(alternative.words)
        return docs

    def _phrase_docs(self, words) -> int:
        """Documents holding these words side by side in a name or text, in either language
        (stop words are left out of positions, so "réparation de vélos" is two terms)."""
        docs, checked = 0, False
        for fieldname in PHRASE_FIELDS:
            per_word = [sorted(self.terms(fieldname, w)) for w in words]
            per_word = [terms for terms in per_word if terms]
            if len(per_word) < 2:
                continue
            checked = True
            for terms in itertools.islice(itertools.product(*per_word), MAX_PHRASES):
                key = ("phrase", fieldname, *terms)
                query = Phrase(fieldname, list(terms))
                docs |= docsets.query_bits(self.searcher, key, query)
        # One word left once stop words are out ("la visio"): nothing to keep side by side.
        return self._written(words, docs) if checked else self.all_docs

    def _written(self, words, docs: int) -> int:
        """Those of `docs` whose texts hold the phrase as written, not only its stems
        (checked on each document's stored words; quoted phrases are rare and match few)."""
        found = self._as_written.get(words)
        if found is None:
            looked_for = wording.needle(words)
            found = docsets.from_docs(
                doc
                for doc in docsets.to_docs(docs)
                if wording.holds(
                    self.searcher.stored_fields(doc).get(wording.FIELD, ""), looked_for
                )
            )
            if len(self._as_written) >= WORD_CACHE:
                self._as_written.clear()
            self._as_written[words] = found
        return found

    def expansion_docs(self, expansion: Expansion | None) -> int:
        if expansion is None:
            return 0
        docs = union(self.docs("service", code) for code in expansion.services)
        return docs | union(self.docs("software", normalise_tag(n)) for n in expansion.software)

    def clause_docs(self, clause: Clause) -> int:
        docs = union(self.alternative_docs(a) for a in clause.alternatives)
        return docs | self.expansion_docs(clause.expansion)

    def query_docs(self, query: ParsedQuery) -> int:
        """Documents matching every clause and no exclusion."""
        docs = intersection((self.clause_docs(c) for c in query.clauses), self.all_docs)
        for alternative in query.excluded:
            docs &= ~self.alternative_docs(alternative)
        return docs
