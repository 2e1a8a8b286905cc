"""Runs a search: query words and facet filters in, one result object out.

Facets are disjunctive: the values of one facet are ORed, facets are ANDed, and the count of
each value is the number of results that value alone would give with the other facets'
selections kept. Counts come from intersecting per-value document sets (cached per searcher)
with the unscored match set, and only the page shown is scored and highlighted.
"""

import operator
import re
from dataclasses import dataclass, field
from functools import reduce

from whoosh.query import And, Every, Or, Term

from directory.search import docsets
from directory.search.docsets import DocSet
from directory.search.documents import WIDE_AREAS
from directory.search.ranking import Ranking
from directory.search.schema import FACET_FIELDS, TEXT_FIELDS, build_schema
from directory.search.snippets import Snippets

# Beyond this, a query is cut: nobody types 40 words into a directory's search box.
MAX_QUERY_CHARS = 400
MAX_QUERY_WORDS = 12
SORTS = ("relevance", "name", "updated")
# Words whose document sets each searcher keeps.
WORD_CACHE = 2048
_WORD = re.compile(r"\w+")
_SCHEMA = build_schema()


@dataclass(frozen=True)
class SearchRequest:
    """What the user asked: free text, selected values per facet, sort and page."""

    text: str = ""
    filters: dict[str, frozenset[str]] = field(default_factory=dict)
    include_wide: bool = True
    sort: str = "relevance"
    page: int = 1
    per_page: int = 20
    locale: str = "fr"
    # False skips the facet counts (a caller that shows none, and the benchmarks).
    facets: bool = True


@dataclass(frozen=True)
class Hit:
    provider_id: int
    snippet_html: str | None
    snippet_lang: str | None


@dataclass
class SearchResult:
    hits: list[Hit]
    total: int
    page: int
    pages: int
    facets: dict[str, dict[str, int]]
    # Count of a value no document holds: not always 0, as nationwide and remote providers
    # match every area.
    facet_defaults: dict[str, int] = field(default_factory=dict)
    suggestion: str | None = None
    words: list[str] = field(default_factory=list)

    def count(self, facet: str, value: str) -> int:
        """The number of results selecting `value` alone in `facet` would give."""
        return self.facets.get(facet, {}).get(value, self.facet_defaults.get(facet, 0))


def analyze(fieldname: str, text: str) -> list[str]:
    """The terms the index holds for `text` in this field (also used by tests' oracles)."""
    return [token.text for token in _SCHEMA[fieldname].analyzer(text, mode="query")]


def query_words(text: str) -> list[str]:
    """The words of a query that count: stop words of either language and symbols dropped.

    A word is dropped when any language treats it as a stop word, so that "de" or "the" never
    becomes a required term of the other language's fields.
    """
    words = []
    for word in _WORD.findall(text[:MAX_QUERY_CHARS]):
        if all(analyze(fieldname, word) for fieldname in TEXT_FIELDS):
            words.append(word)
    return words[:MAX_QUERY_WORDS]


def _word_query(word: str):
    return Or([Term(f, term) for f in TEXT_FIELDS for term in analyze(f, word)])


def text_query(words: list[str]):
    return And([_word_query(word) for word in words]) if words else Every()


class FacetCache:
    """Bitmaps of each facet value and word for one searcher; dropped when it changes (the
    per-segment bitmaps they are made of stay, see docsets)."""

    def __init__(self, searcher):
        self.searcher = searcher
        self._sets: dict[tuple[str, str], int] = {}
        self._values: dict[str, list[str]] = {}
        # Least recently used first (dicts keep insertion order).
        self._words: dict[str, int] = {}
        self.all_docs = docsets.all_bits(searcher)
        self.ranking = Ranking(searcher, _word_query)

    def docs(self, fieldname: str, value: str) -> int:
        key = (fieldname, value)
        if key not in self._sets:
            self._sets[key] = docsets.term_bits(self.searcher, fieldname, value)
        return self._sets[key]

    def word_docs(self, word: str) -> int:
        """Documents matching `word` in any text field; the last WORD_CACHE words are kept,
        since a few words (a service, a software, a town) make most queries."""
        docs = self._words.pop(word, None)
        if docs is None:
            docs = 0
            for fieldname in TEXT_FIELDS:
                for term in analyze(fieldname, word):
                    docs |= docsets.term_bits(self.searcher, fieldname, term)
            if len(self._words) >= WORD_CACHE:
                del self._words[next(iter(self._words))]
        self._words[word] = docs
        return docs

    def values(self, fieldname: str) -> list[str]:
        if fieldname not in self._values:
            self._values[fieldname] = list(self.searcher.reader().field_terms(fieldname))
        return self._values[fieldname]


def _union(bitmaps) -> int:
    return reduce(operator.or_, bitmaps, 0)


def _intersection(bitmaps, start: int) -> int:
    return reduce(operator.and_, bitmaps, start)


def _selected_docs(cache: FacetCache, facet: str, values, include_wide: bool) -> int:
    docs = _union(cache.docs(facet, value) for value in values)
    if facet == "area" and include_wide:
        docs |= _union(cache.docs(facet, value) for value in WIDE_AREAS)
    return docs


def _facet_counts(cache, matched, selections, include_wide):
    """Each value's count, and per facet the count of values absent from the index."""
    counts, defaults = {}, {}
    for facet in FACET_FIELDS:
        base = _intersection((d for other, d in selections.items() if other != facet), matched)
        # Documents every value of this facet matches: nationwide and remote, for areas.
        always = base & _selected_docs(cache, facet, [], include_wide)
        counts[facet] = {
            value: (always | (base & cache.docs(facet, value))).bit_count()
            for value in cache.values(facet)
        }
        defaults[facet] = always.bit_count()
    return counts, defaults


def _suggest(searcher, words: list[str], matched_words: list[bool]) -> str | None:
    """Replaces each word that matches nothing by its closest indexed word, if that finds
    something; None when no better query exists."""
    if all(matched_words):
        return None
    corrector = searcher.corrector("spell")
    corrected = []
    for word, matched in zip(words, matched_words, strict=True):
        if not matched:
            suggestions = corrector.suggest(word.lower(), limit=1, maxdist=2)
            word = suggestions[0] if suggestions else word
        corrected.append(word)
    if corrected == words:
        return None
    # Document numbers start at 0: test for any document, not for a truthy one.
    if next(iter(searcher.docs_for_query(text_query(corrected))), None) is None:
        return None
    return " ".join(corrected)


_SNIPPETS = {field: Snippets(_SCHEMA[field].analyzer) for field in ("text_fr", "text_en")}


def _page_hits(searcher, ranking, final_docs, request: SearchRequest, words):
    start = (request.page - 1) * request.per_page
    docs = ranking.page(final_docs, request.sort, words, start, start + request.per_page)
    hits = []
    for doc in docs:
        stored = searcher.stored_fields(doc)
        snippet, lang = None, None
        if words:
            snippet, lang = _highlight(stored, words, request.locale)
        hits.append(Hit(int(stored["id"]), snippet, lang))
    return hits


def _highlight(stored: dict, words: list[str], locale: str):
    """A highlighted extract in the reader's language, else in the other one."""
    other = "en" if locale == "fr" else "fr"
    for lang in (locale, other):
        text = stored.get(f"snippet_{lang}")
        if text:
            field = f"text_{lang}"
            terms = frozenset(term for word in words for term in analyze(field, word))
            snippet = _SNIPPETS[field].highlight(text, terms, top=2)
            if snippet:
                return snippet, lang
    return None, None


def run(searcher, cache: FacetCache, request: SearchRequest) -> SearchResult:
    """Matches, filters, counts every facet and returns one page of hits.

    `searcher` and `cache` come from the same index generation (see search.__init__).
    Unknown facets or values are ignored rather than refused: a shared link never breaks.
    """
    words = query_words(request.text)
    word_docs = [cache.word_docs(word) for word in words]
    matched = _intersection(word_docs, cache.all_docs)
    selections = {
        facet: _selected_docs(cache, facet, values, request.include_wide)
        for facet, values in request.filters.items()
        if facet in FACET_FIELDS and values
    }
    final = DocSet(_intersection(selections.values(), matched))
    per_page = max(1, request.per_page)
    pages = max(1, -(-len(final) // per_page))
    page = min(max(1, request.page), pages)
    request = SearchRequest(**{**request.__dict__, "page": page, "per_page": per_page})
    hits = _page_hits(searcher, cache.ranking, final, request, words) if final else []
    facets, facet_defaults = {}, {}
    if request.facets:
        facets, facet_defaults = _facet_counts(cache, matched, selections, request.include_wide)
    return SearchResult(
        hits=hits,
        total=len(final),
        page=page,
        pages=pages,
        facets=facets,
        facet_defaults=facet_defaults,
        suggestion=_suggest(searcher, words, [bool(docs) for docs in word_docs]),
        words=words,
    )
