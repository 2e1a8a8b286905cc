"""In-process timings: the search function, with filters, with every facet's counts, the
whole search page, a provider's page and the API's search through the Flask test client."""

import statistics
import time
from collections.abc import Callable
from urllib.parse import urlencode

from sqlalchemy import func, select

from bench.queries import Query
from directory import search
from directory.extensions import db
from directory.models import Provider
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

    def get(url: str):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    with app.app_context():
        slugs = provider_slugs(len(queries))
    get(f"/providers/{slugs[0]}")  # the template compiled, as in a warm worker
    figures["provider"] = timed(get, [f"/providers/{slug}" for slug in slugs])
    figures["api"] = timed(get, [api_url(query) for query in queries])
    return figures


def provider_slugs(count: int) -> list[str]:
    """`count` published providers spread over the whole table (every n-th id)."""
    total = db.session.scalar(select(func.count()).select_from(Provider))
    step = max(1, total // count)
    ids = list(range(1, total + 1, step))[:count]
    return list(db.session.scalars(select(Provider.slug).where(Provider.id.in_(ids))))


def api_url(query: Query) -> str:
    return "/api/v1/providers?" + urlencode({"q": query.words})
