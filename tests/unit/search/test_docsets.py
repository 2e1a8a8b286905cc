"""Bitmaps of documents, and their per-segment cache across commits and deletions."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from whoosh.query import Term

from directory import search
from directory.search import SearchRequest, docsets, segment_cache
from directory.services import indexing
from tests.factories import make_provider


@given(st.sets(st.integers(min_value=0, max_value=5000)))
def test_bitmaps_round_trip(docs):
    bits = docsets.from_docs(docs)
    assert docsets.to_docs(bits) == sorted(docs)
    view = docsets.DocSet(bits)
    assert len(view) == len(docs)
    assert list(view) == sorted(docs)
    assert all(doc in view for doc in docs)
    assert 5001 not in view and (not docs or max(docs) + 1 not in view)


@given(st.sets(st.integers(min_value=0, max_value=5000)), st.integers(min_value=0, max_value=64))
def test_a_boolean_mask_makes_the_same_bitmap_as_its_documents(docs, spare):
    mask = np.zeros(max(docs, default=0) + 1 + spare, dtype=bool)
    mask[list(docs)] = True
    assert docsets.from_mask(mask) == docsets.from_docs(docs)


def test_cached_segment_bitmaps_follow_commits_and_deletions(app):
    with app.app_context():
        made = [make_provider(services=["hosting"]) for _ in range(3)]
        index = app.extensions["directory.search"].index

        def both():
            searcher = index.searcher()
            expected = sorted(searcher.docs_for_query(Term("service", "hosting")))
            return docsets.to_docs(docsets.term_bits(searcher, "service", "hosting")), expected

        got, expected = both()
        assert got == expected and len(got) == 3
        search.remove_providers([made[1].id])
        got, expected = both()
        assert got == expected and len(got) == 2
        make_provider(services=["hosting"])
        got, expected = both()
        assert got == expected and len(got) == 3
        assert search.search(SearchRequest(filters={"service": frozenset({"hosting"})})).total == 3
        # The database still holds the provider only removed from the index.
        assert indexing.reindex_all() == 4
        got, expected = both()
        assert got == expected and len(got) == 4


def test_a_deletion_keeps_the_segments_bitmaps_and_masks_them(app, monkeypatch):
    """An update deletes the provider's document in its segment: the bitmaps kept for that
    segment stay (masked by its live documents) instead of being read again."""
    with app.app_context():
        made = [make_provider(services=["hosting"]) for _ in range(3)]
        index = app.extensions["directory.search"].index
        assert len(docsets.to_docs(docsets.term_bits(index.searcher(), "service", "hosting"))) == 3
        computed = []
        original = docsets._term_segment_bits
        monkeypatch.setattr(
            docsets, "_term_segment_bits", lambda *a: computed.append(a) or original(*a)
        )
        search.remove_providers([made[0].id])
        searcher = index.searcher()
        got = docsets.to_docs(docsets.term_bits(searcher, "service", "hosting"))
        assert got == sorted(searcher.docs_for_query(Term("service", "hosting")))
        assert len(got) == 2
        assert computed == []
        assert docsets.all_bits(searcher).bit_count() == 2


def test_facet_bitmaps_of_small_segments_read_at_once_equal_whooshs(app, monkeypatch):
    """A small segment (one an approval's commit made) has each facet field's bitmaps read
    in one pass over its own terms: equal to whoosh's for values it holds or not, with
    deletions, and with each field's terms kept per segment."""
    with app.app_context():
        made = [
            make_provider(services=services, regions=regions)
            for services, regions in (
                (["hosting"], ["53"]),
                (["hosting", "training"], []),
                (["training"], ["11"]),
                (["hosting"], ["53", "11"]),
            )
        ]
        indexing.reindex_all()  # one segment of four documents
        search.remove_providers([made[1].id])
        make_provider(services=["hosting"], regions=["53"])
        searcher = app.extensions["directory.search"].index.searcher()
        assert [sub.doc_count_all() for sub, _offset in searcher.leaf_searchers()] == [4, 1]
        read = []
        original = docsets._small_segment_field
        monkeypatch.setattr(
            docsets, "_small_segment_field", lambda *a: read.append(a) or original(*a)
        )
        for field in ("service", "area"):
            values = segment_cache.field_terms(searcher, field)
            assert values == list(searcher.reader().field_terms(field))
            for value in [*values, "absent"]:
                expected = sorted(searcher.docs_for_query(Term(field, value)))
                got = docsets.to_docs(docsets.term_bits(searcher, field, value, facet=True))
                assert got == expected
        assert read


def test_kept_bitmaps_stay_within_their_bytes_and_stay_right(app, monkeypatch):
    monkeypatch.setattr(docsets, "MAX_BITMAP_BYTES", 200)
    with app.app_context():
        for services in (["hosting"], ["training"], ["hosting", "training"], ["hosting"]):
            make_provider(services=services)
        searcher = app.extensions["directory.search"].index.searcher()
        for _round in range(2):
            for value in ("hosting", "training", "accounting"):
                expected = sorted(searcher.docs_for_query(Term("service", value)))
                assert docsets.to_docs(docsets.term_bits(searcher, "service", value)) == expected
            assert docsets._bitmaps.bytes <= 200
            kept_bitmaps = docsets._bitmaps.values()
            assert docsets._bitmaps.bytes == sum(docsets._size(b) for b in kept_bitmaps)
