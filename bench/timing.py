"""In-process timings: the search function, with filters, with every facet's counts, and the
whole search page through the Flask test client; approval to searchable."""

import statistics
import time
from collections.abc import Callable

from bench.queries import Query
from directory import search
from directory.search import SearchRequest
from directory.services import vocabulary


def summary(samples_ms: list[float]) -> dict:
    ordered = sorted(samples_ms)
    return {
        "p50": statistics.median(ordered),
        "p95": ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))],
        "max": ordered[-1],
        "n": len(ordered),
    }


def timed(function: Callable, items) -> dict:
    samples = []
    for item in items:
        started = time.perf_counter()
        function(item)
        samples.append((time.perf_counter() - started) * 1000)
    return summary(samples)


def _filters(query: Query) -> dict[str, frozenset[str]]:
    selected: dict[str, set[str]] = {}
    for field, value, _name, _form in query.filters:
        selected.setdefault(field, set()).add(value)
    return {field: frozenset(values) for field, values in selected.items()}


def request_for(query: Query, filters: bool, facets: bool, thesaurus=None) -> SearchRequest:
    return SearchRequest(
        text=query.words,
        filters=_filters(query) if filters else {},
        facets=facets,
        thesaurus=thesaurus,
    )


def search_timings(app, queries: list[Query]) -> dict[str, dict]:
    """(a) words only, (b) two filters, (c) two filters and every facet's counts, (d) page."""
    figures = {}
    with app.app_context():
        search.search(SearchRequest())  # opens the searcher, as a worker's first request does
        # Read with the needs-and-tools vocabulary, as the page reads them: the per-word scores
        # depend on it, and a search without it left (d) to score every word again.
        thesaurus = vocabulary.thesaurus()
        for name, filters, facets in (("a", False, False), ("b", True, False), ("c", True, True)):
            figures[name] = timed(
                lambda q, f=filters, c=facets: search.search(request_for(q, f, c, thesaurus)),
                queries,
            )
    client = app.test_client()

    def page(query: Query):
        response = client.get(query.url())
        assert response.status_code == 200, response.status_code

    figures["d"] = timed(page, queries)
    return figures
