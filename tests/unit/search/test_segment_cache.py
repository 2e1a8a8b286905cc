"""Scores and orders kept per index segment: equal to whoosh's own, and reused after a
commit that leaves a segment as it was."""

import pytest
from whoosh.query import Every, Term
from whoosh.sorting import FieldFacet

from directory import search
from directory.search import SearchRequest, bm25, docsets, segment_cache
from directory.search.matching import FacetCache
from directory.services import indexing, providers
from directory.services.taxonomy import load_taxonomy
from tests.factories import make_provider


@pytest.fixture
def index(app):
    with app.app_context():
        yield app.extensions["directory.search"].index


def _whoosh_scores(searcher, query):
    return {doc: score for score, doc in searcher.search(query, limit=None).top_n}


def _kept_scores(searcher, query):
    parts = segment_cache.word_scores(searcher, (repr(query),), query)
    return {
        doc + offset: score
        for offset, docs, scores in parts
        for doc, score in zip(docs, scores, strict=True)
    }


def _assert_orders_equal_whooshs(searcher):
    by_name = [doc for _k, doc in searcher.search(Every(), sortedby="name_sort", limit=None).top_n]
    assert segment_cache.order(searcher, "name").tolist() == by_name
    newest = [FieldFacet("updated", reverse=True), "name_sort"]
    by_date = [doc for _k, doc in searcher.search(Every(), sortedby=newest, limit=None).top_n]
    assert segment_cache.order(searcher, "updated").tolist() == by_date


def _provider_texts(count):
    words = ["nextcloud", "formation", "hébergement", "comptabilité"]
    for number in range(count):
        make_provider(
            name=f"Provider {number:02d} {'Zeta' if number % 3 else 'Alpha'}",
            description_fr=" ".join(words[: 1 + number % 4]) + f" numéro {number}",
        )


def test_scores_and_orders_equal_whooshs_over_several_segments(index):
    _provider_texts(12)  # one commit each: several segments
    searcher = index.searcher()
    assert len(searcher.leaf_searchers()) > 1
    for word in ("nextcloud", "formation", "comptabilité"):
        query = FacetCache(searcher).word_query(word, "fr")
        assert _kept_scores(searcher, query) == pytest.approx(_whoosh_scores(searcher, query))
    _assert_orders_equal_whooshs(searcher)


def test_a_commit_scores_only_the_new_segment(index, monkeypatch):
    monkeypatch.setattr(segment_cache, "KEEP_MIN_MATCHES", 1)
    monkeypatch.setattr(segment_cache, "KEEP_MAX_DRIFT", 1.0)
    _provider_texts(6)
    search.optimize()  # one segment
    request = SearchRequest(text="nextcloud")
    first = search.search(request)
    scored = []
    original = segment_cache._segment_scores
    monkeypatch.setattr(
        segment_cache,
        "_segment_scores",
        lambda sub, query: scored.append(sub.doc_count_all()) or original(sub, query),
    )
    added = make_provider(description_fr="nextcloud nextcloud nextcloud")
    after = search.search(request)
    # The old segment's scores were kept: only the new one-document segment was scored.
    assert scored and set(scored) == {1}
    assert after.total == first.total + 1
    assert added.id in [hit.provider_id for hit in after.hits]


def test_scores_are_not_kept_across_a_large_change_of_the_index(index, monkeypatch):
    monkeypatch.setattr(segment_cache, "KEEP_MIN_MATCHES", 1)
    _provider_texts(6)
    search.optimize()
    search.search(SearchRequest(text="nextcloud"))
    scored = []
    original = segment_cache._segment_scores
    monkeypatch.setattr(
        segment_cache,
        "_segment_scores",
        lambda sub, query: scored.append(sub.doc_count_all()) or original(sub, query),
    )
    make_provider(description_fr="nextcloud")  # 6 -> 7 documents: far more than 1 %
    search.search(SearchRequest(text="nextcloud"))
    assert 6 in scored


def test_warm_up_scores_each_services_name_before_a_visitor_asks(app, monkeypatch):
    with app.test_request_context("/"):
        _provider_texts(4)
        count = providers.warm_up()
        assert count == 2 + 2 * len(load_taxonomy().services)
        scored = []
        original = segment_cache._segment_scores
        monkeypatch.setattr(
            segment_cache, "_segment_scores", lambda *a: scored.append(1) or original(*a)
        )
        label = load_taxonomy().services[0].label("fr")
        providers.find(SearchRequest(text=label, locale="fr"))
        assert scored == []


def test_warm_up_reads_the_words_of_spelling_suggestions(app, monkeypatch):
    with app.test_request_context("/"):
        _provider_texts(4)
        segment_cache.clear()
        warmed = []
        monkeypatch.setattr(search, "warm_spelling", lambda: warmed.append(1) or 0)
        providers.warm_up()
        assert warmed == [1]
        monkeypatch.undo()
        segment_cache.clear()
        assert search.warm_spelling() > 0
        read = []
        kept = segment_cache._Kept
        monkeypatch.setattr(segment_cache, "_Kept", lambda *a: read.append(a) or kept(*a))
        result = providers.find(SearchRequest(text="formaton", locale="fr")).result
        assert result.corrected == "formation"
        assert not [a for a in read if isinstance(a[0], tuple) and "formation" in a[0]]


def test_close_words_are_whooshs_corrections_without_the_word_itself(index):
    """suggestions.close_words finds, over the spelling words kept per segment, what
    whoosh's corrector proposed (the most frequent words within two edits), leaving out
    the word asked about; several segments, and one more after a commit."""
    from directory.search.suggestions import close_words

    _provider_texts(8)
    searcher = index.searcher()
    assert len(searcher.leaf_searchers()) > 1
    for word in ("nextclud", "formaton", "hebergement", "comptabilite", "numero", "zeta"):
        whooshs = searcher.corrector("spell").suggest(word, limit=8, maxdist=2)
        assert whooshs
        assert close_words(searcher, word) == [w for w in whooshs if w != word]
    make_provider(name="Provider Omega", description_fr="cartographie libre")
    assert "cartographie" in close_words(index.searcher(), "cartografie")


def test_word_scores_leave_out_deleted_documents_as_whoosh_does(index):
    """bm25 reads postings and lengths itself: a provider removed from the index (its
    document deleted in its segment, not yet merged away) must not get a score."""
    _provider_texts(12)
    removed = providers.get_many([3, 4])
    search.remove_providers([provider.id for provider in removed])
    searcher = index.searcher()
    assert any(sub.reader().has_deletions() for sub, _offset in searcher.leaf_searchers())
    for word in ("nextcloud", "formation", "numéro"):
        query = FacetCache(searcher).word_query(word, "fr")
        assert _kept_scores(searcher, query) == pytest.approx(_whoosh_scores(searcher, query))


def test_stale_documents_are_whooshs_range_over_segments_and_deletions(index):
    """FacetCache.stale_docs compares each segment's kept column of days: the same
    documents as whoosh's range query, across several segments and a deletion."""
    from datetime import date

    from whoosh.query import NumericRange

    days = [None, date(2024, 1, 5), date(2025, 6, 1), date(2026, 2, 1), date(2026, 11, 30)]
    made = [make_provider(last_verified_on=days[number % 5]) for number in range(12)]
    assert len(index.searcher().leaf_searchers()) > 1
    search.remove_providers([made[1].id])
    searcher = index.searcher()
    for before in (date(2025, 1, 1), date(2026, 3, 1), date(2027, 1, 1)):
        day = before.toordinal()
        expected = sorted(searcher.docs_for_query(NumericRange("verified", None, day - 1)))
        assert list(FacetCache(searcher).stale_docs(day)) == expected
        assert expected


@pytest.mark.parametrize("small_runs", [0, 10_000])
def test_orders_by_insertion_or_by_sorting_equal_whooshs(index, monkeypatch, small_runs):
    """The small segments' keys inserted into the first one's order (0: always) give the
    same order as sorting all of them (10,000: never), which is whoosh's."""
    monkeypatch.setattr(segment_cache, "SMALL_RUNS", small_runs)
    _provider_texts(12)
    searcher = index.searcher()
    assert len(searcher.leaf_searchers()) > 1
    _assert_orders_equal_whooshs(searcher)


def test_scores_and_bitmaps_of_block_postings_with_deletions_equal_whooshs(index, monkeypatch):
    """A big segment's postings are stored in blocks of 128, and once an update deleted one
    of its documents whoosh filters them a posting at a time; bm25 reads the blocks
    itself: ids as deltas, weights stored once (all 1.0, or all the same) or per document."""
    monkeypatch.setattr(search, "index_providers", lambda _providers: None)
    for number in range(300):
        make_provider(
            name=f"Provider {number:03d}",
            description_fr=" ".join(
                ["formation"] * (1 + number % 3) + ["cartographie", "cartographie"]
            )
            + (" nextcloud" if number % 2 else ""),
        )
    monkeypatch.undo()
    indexing.reindex_all()
    search.remove_providers([provider.id for provider in providers.get_many(range(5, 280, 7))])
    searcher = index.searcher()
    big = max(searcher.leaf_searchers(), key=lambda leaf: leaf[0].doc_count_all())[0].reader()
    assert big.has_deletions()
    for word in ("formation", "cartographie", "nextcloud"):
        query = FacetCache(searcher).word_query(word, "fr")
        assert max(big.doc_frequency(term.fieldname, term.text) for term in query.subqueries) > 140
        assert _kept_scores(searcher, query) == pytest.approx(_whoosh_scores(searcher, query))
        for fieldname, text in ((term.fieldname, term.text) for term in query.subqueries):
            expected = set(searcher.docs_for_query(Term(fieldname, text)))
            assert set(docsets.to_docs(docsets.term_bits(searcher, fieldname, text))) == expected


def test_a_words_first_search_decodes_each_of_its_terms_once(index, monkeypatch):
    """Its documents (docsets) and its scores both need a term's postings: the second
    reader gets the ones the first decoded."""
    _provider_texts(12)
    read = []
    original = bm25._read_postings
    monkeypatch.setattr(
        bm25,
        "_read_postings",
        lambda reader, field, btext: (
            read.append((reader.segment().segment_id(), field, btext))
            or original(reader, field, btext)
        ),
    )
    result = search.search(SearchRequest(text="comptabilité", facets=True))
    assert result.total > 0 and read
    assert len(read) == len(set(read))


def test_words_scores_never_push_out_a_segments_orders(index, monkeypatch):
    """Scores grow with the words searched; a merged order is 16 MB at 100,000 and takes
    0.2 s to sort again: each has its own budget."""
    _provider_texts(12)
    monkeypatch.setattr(segment_cache, "KEEP_MIN_MATCHES", 1)
    monkeypatch.setattr(segment_cache, "MAX_SCORE_BYTES", 100)
    searcher = index.searcher()
    by_name = segment_cache.order(searcher, "name").tolist()
    sorted_again = []
    original = segment_cache._segment_order
    monkeypatch.setattr(
        segment_cache, "_segment_order", lambda *a: sorted_again.append(a) or original(*a)
    )
    for word in ("nextcloud", "formation", "comptabilité", "hébergement", "numéro"):
        query = FacetCache(searcher).word_query(word, "fr")
        assert _kept_scores(searcher, query) == pytest.approx(_whoosh_scores(searcher, query))
    assert segment_cache.order(searcher, "name").tolist() == by_name
    assert sorted_again == []
    assert segment_cache._scores.bytes <= 100
