"""Runs a search: query words and facet filters in, one result object out.

Facets are disjunctive: the values of one facet are ORed, facets are ANDed, and the count of
each value is the number of results that value alone would give with the other facets'
selections kept. Counts come from intersecting per-value document sets (cached per searcher)
with the unscored match set, and only the page shown is scored and highlighted.
"""

from dataclasses import dataclass, field, replace

from directory.search import scoring
from directory.search.docsets import DocSet
from directory.search.facets import WIDE_AREAS, departement_token, region_token
from directory.search.matching import (
    FacetCache,
    analyze,
    intersection,
    union,
)
from directory.search.schema import FACET_FIELDS, build_schema
from directory.search.snippets import Snippets
from directory.search.suggestions import suggest
from directory.search.syntax import Expansion, ParsedQuery, Thesaurus, parse

# "recommended": by relevance weighed by associations' testimonials (scoring.RECOMMEND_BOOST).
SORTS = ("relevance", "name", "updated", "distance", "recommended")
_SCHEMA = build_schema()
__all__ = ["FacetCache", "analyze"]


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
    # Département code -> its distance in km from the visitor ("near me"); with it, the
    # "distance" sort orders providers by their nearest département served.
    distances: dict[str, float] | None = field(default=None, compare=False)
    # Words that rank without being required: the places read out of the query, so that a
    # provider whose texts name the town comes before others serving its département.
    boost: str = ""
    # False: a query that finds nothing is not run again as its spelling suggestion.
    autocorrect: bool = True
    # The needs-and-tools vocabulary the text is read with (None: words only).
    thesaurus: Thesaurus | None = field(default=None, compare=False)
    # Entries last verified before this day (date.toordinal()) rank lower by relevance: the
    # "to be verified" ones (0: no such demotion).
    stale_before: int = 0


@dataclass(frozen=True)
class Hit:
    provider_id: int
    snippet_html: str | None
    snippet_lang: str | None
    # Found only because it works nationwide or remotely (after the local ones).
    wide: bool = False
    # Km from the visitor to the nearest département served (with SearchRequest.distances).
    distance: float | None = None


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
    # Entries of the vocabulary the query named ("zoom"), in the order typed.
    expansions: tuple[Expansion, ...] = ()
    # With an area filter: results based in or serving the area, listed first (None when
    # results are not split).
    local_total: int | None = None
    # The query searched instead of the one typed, which found nothing.
    corrected: str | None = None
    # Area value -> results based in or serving that area (nationwide ones left out).
    local_counts: dict[str, int] = field(default_factory=dict)

    def count(self, facet: str, value: str) -> int:
        """The number of results selecting `value` alone in `facet` would give."""
        return self.facets.get(facet, {}).get(value, self.facet_defaults.get(facet, 0))

    def local_count(self, area_value: str) -> int:
        """Results based in or serving this area, the nationwide and remote ones left out."""
        return self.local_counts.get(area_value, 0)

    def area_count(self, param: str, code: str, local: bool = False) -> int:
        """The count of a région (`param` "region") or département ("dept") by its code;
        `local` leaves out the providers working nationwide or remotely."""
        token = region_token(code) if param == "region" else departement_token(code)
        return self.local_count(token) if local else self.count("area", token)

    @property
    def wide_count(self) -> int:
        """Results counted in every area because they work nationwide or remotely."""
        return self.facet_defaults.get("area", 0)


def query_words(text: str) -> list[str]:
    """The searched words of a query: stop words of either language and symbols dropped.

    A word is dropped when any language treats it as a stop word (accents or not), so that
    "de" or "the" never becomes a required term of the other language's fields.
    """
    return parse(text).words


def _selected_docs(cache: FacetCache, facet: str, values, include_wide: bool) -> int:
    docs = union(cache.docs(facet, value) for value in values)
    if facet == "area" and include_wide:
        docs |= union(cache.docs(facet, value) for value in WIDE_AREAS)
    return docs


def _facet_counts(cache, matched, selections, include_wide):
    """Each value's count, per facet the count of values absent from the index, and each
    area's local count (providers based in or serving it, without the nationwide ones)."""
    counts, defaults, local = {}, {}, {}
    for facet in FACET_FIELDS:
        base = intersection((d for other, d in selections.items() if other != facet), matched)
        # Documents every value of this facet matches: nationwide and remote, for areas.
        always = base & _selected_docs(cache, facet, [], include_wide)
        specific = {value: base & cache.docs(facet, value) for value in cache.values(facet)}
        counts[facet] = {value: (always | docs).bit_count() for value, docs in specific.items()}
        defaults[facet] = always.bit_count()
        if facet == "area":
            local = {value: docs.bit_count() for value, docs in specific.items()}
    return counts, defaults, local


_SNIPPETS = {field: Snippets(_SCHEMA[field].analyzer) for field in ("text_fr", "text_en")}


def _page_hits(searcher, cache, groups, request: SearchRequest, query: ParsedQuery):
    """The page's hits, from `groups` (document sets listed one after the other)."""
    start, stop = (request.page - 1) * request.per_page, request.page * request.per_page
    relevance = request.sort in ("relevance", "distance", "recommended")
    scorers = scoring.scorers(cache, query, request.locale) if relevance else []
    # Places read out of a query rank within its words; alone, they would make the
    # "recommended" order one of naming the town, so it then stays by testimonials.
    if relevance and request.boost and (scorers or request.sort != "recommended"):
        scorers += [
            cache.ranking.scores(word, request.locale) for word in parse(request.boost).words
        ]
    scores = scoring.total(scorers)
    if scores is not None and request.stale_before:
        scores = scoring.demote_stale(cache, scores, request.stale_before)
    if scores is not None and request.sort == "recommended":
        scores = scoring.recommended(cache, scores)
    distance = scoring.distance(cache, request.distances) if request.distances else None
    docs, offset = [], 0
    for wide, group in enumerate(groups):
        if start < offset + len(group) and stop > offset:
            first, last = max(0, start - offset), stop - offset
            if request.sort == "distance" and distance is not None:
                page = cache.ranking.nearest(group, distance, scores, first, last)
            elif request.sort == "recommended" and scores is None:
                page = cache.ranking.most_confident(group, cache.confidence(), first, last)
            else:
                page = cache.ranking.page(group, request.sort, scores, first, last)
            docs += [(doc, bool(wide)) for doc in page]
        offset += len(group)
    words = query.words
    hits = []
    for doc, wide in docs:
        stored = searcher.stored_fields(doc)
        snippet, lang = None, None
        if words:
            snippet, lang = _highlight(cache, stored, words, request.locale)
        km = distance(doc) if distance is not None else None
        hits.append(Hit(int(stored["id"]), snippet, lang, wide, None if km == scoring.INF else km))
    return hits


def _highlight(cache: FacetCache, stored: dict, words: list[str], locale: str):
    """A highlighted extract in the reader's language, else in the other one."""
    other = "en" if locale == "fr" else "fr"
    for lang in (locale, other):
        text = stored.get(f"snippet_{lang}")
        if text:
            field = f"text_{lang}"
            terms = frozenset().union(*(cache.terms(field, word) for word in words))
            snippet = _SNIPPETS[field].highlight(text, terms, top=2)
            if snippet:
                return snippet, lang
    return None, None


def run(searcher, cache: FacetCache, request: SearchRequest) -> SearchResult:
    """Matches, filters, counts every facet and returns one page of hits; a query that
    finds nothing is run again as its spelling suggestion, if it has one.

    `searcher` and `cache` come from the same index generation (see search.__init__).
    Unknown facets or values are ignored rather than refused: a shared link never breaks.
    """
    cache.use(request.thesaurus)
    result = _run(searcher, cache, request)
    if not result.total and result.suggestion and request.autocorrect:
        corrected = _run(searcher, cache, replace(request, text=result.suggestion))
        if corrected.total:
            corrected.corrected = result.suggestion
            corrected.suggestion = None
            return corrected
    return result


def _run(searcher, cache: FacetCache, request: SearchRequest) -> SearchResult:
    query = parse(request.text, request.thesaurus)
    matched = cache.query_docs(query)
    selections = {
        facet: _selected_docs(cache, facet, values, request.include_wide)
        for facet, values in request.filters.items()
        if facet in FACET_FIELDS and values
    }
    final = intersection(selections.values(), matched)
    groups, local_total = [DocSet(final)], None
    if "area" in selections and request.include_wide:
        # Local first: providers based in or serving the area, then those found only as
        # working nationwide or remotely.
        local = final & _selected_docs(cache, "area", request.filters["area"], False)
        groups, local_total = [DocSet(local), DocSet(final & ~local)], local.bit_count()
    total = final.bit_count()
    per_page = max(1, request.per_page)
    pages = max(1, -(-total // per_page))
    page = min(max(1, request.page), pages)
    request = replace(request, page=page, per_page=per_page)
    hits = _page_hits(searcher, cache, groups, request, query) if total else []
    facets, facet_defaults, local_counts = {}, {}, {}
    if request.facets:
        facets, facet_defaults, local_counts = _facet_counts(
            cache, matched, selections, request.include_wide
        )
    return SearchResult(
        hits=hits,
        total=total,
        page=page,
        pages=pages,
        facets=facets,
        facet_defaults=facet_defaults,
        suggestion=suggest(searcher, cache, request.text, query, request.thesaurus),
        words=query.words,
        expansions=query.expansions,
        local_total=local_total,
        local_counts=local_counts,
    )
