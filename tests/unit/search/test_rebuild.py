"""A large rebuild (parallel writer, spelling words once) gives the same search answers."""

import pytest

from directory import search
from directory.search import SearchRequest, index
from directory.services import indexing, providers

REQUESTS = [
    SearchRequest(),
    SearchRequest(text="hébergement"),
    SearchRequest(text="formation libre", sort="name"),
    SearchRequest(filters={"area": frozenset({"r:53"})}, sort="updated"),
    SearchRequest(
        text="nextcloud", filters={"service": frozenset({"hosting"})}, page=2, per_page=3
    ),
    SearchRequest(text="hebergemnt"),
]


def _answers():
    return [search.search(request) for request in REQUESTS]


@pytest.mark.parametrize("parallel_from", [10, 10_000])
def test_a_rebuild_answers_as_updates_do(seeded_app, monkeypatch, parallel_from):
    monkeypatch.setattr(index, "PARALLEL_FROM", parallel_from)
    with seeded_app.app_context():
        before = _answers()
        assert indexing.reindex_all() == providers.count()
        after = _answers()
    assert [r.total for r in after] == [r.total for r in before]
    assert [r.facets for r in after] == [r.facets for r in before]
    assert [[h.provider_id for h in r.hits] for r in after] == [
        [h.provider_id for h in r.hits] for r in before
    ]
    assert [[h.snippet_html for h in r.hits] for r in after] == [
        [h.snippet_html for h in r.hits] for r in before
    ]
    assert after[-1].corrected == before[-1].corrected == "hébergement"
