"""Document sets as bitmaps (Python ints), cached per index segment.

An intersection or a count on a bitmap of 100,000 documents is one C loop over 12.5 KB
where a frozenset walks 100,000 Python ints, and a bitmap takes a few KB of memory where a
frozenset takes megabytes. Each segment's bitmaps are kept across searchers: a commit adds a
small segment and leaves the big ones (and their document numbers) as they were, so the
first search after an approval only reads the new segment's postings.
"""

import numpy as np
from whoosh.query import Term

from directory.search import bm25
from directory.search.kept import KeptBytes

# Bytes of bitmaps kept for all segments and terms together, least recently used first
# out: a segment's bitmap takes a bit per document (6 KB for a segment of 50,000).
MAX_BITMAP_BYTES = 24 * 1024 * 1024
# A segment of this many documents at most has its facet fields' bitmaps read at once.
SMALL_SEGMENT = 1000
_BITS_OF_BYTE = [tuple(i for i in range(8) if byte >> i & 1) for byte in range(256)]


def _size(kept: int | dict[str, int]) -> int:
    """Bytes of a bitmap, or of a small segment's field (its terms' bitmaps)."""
    if isinstance(kept, dict):
        return sum(64 + _size(bits) for bits in kept.values())
    return 32 + (kept.bit_length() + 7) // 8


_bitmaps = KeptBytes(lambda: MAX_BITMAP_BYTES, _size)


def from_docs(docs) -> int:
    docs = list(docs)
    if not docs:
        return 0
    data = bytearray((max(docs) >> 3) + 1)
    for doc in docs:
        data[doc >> 3] |= 1 << (doc & 7)
    return int.from_bytes(data, "little")


def from_mask(matched: np.ndarray) -> int:
    """The bitmap of a boolean per document number."""
    return int.from_bytes(np.packbits(matched, bitorder="little").tobytes(), "little")


def to_docs(bits: int) -> list[int]:
    docs = []
    for index, byte in enumerate(bits.to_bytes((bits.bit_length() + 7) // 8, "little")):
        if byte:
            base = index << 3
            docs.extend(base + bit for bit in _BITS_OF_BYTE[byte])
    return docs


def mask(bits: int, size: int) -> np.ndarray:
    """The bitmap as `size` booleans, one per document number (for the ranking's vectors)."""
    data = np.frombuffer(bits.to_bytes((size + 7) // 8, "little"), dtype=np.uint8)
    return np.unpackbits(data, count=size, bitorder="little").view(bool)


class DocSet:
    """A read-only set view of a bitmap: length, membership, iteration in document order."""

    __slots__ = ("_bytes", "_docs", "bits")

    def __init__(self, bits: int):
        self.bits = bits
        self._bytes = bits.to_bytes((bits.bit_length() + 7) // 8, "little")
        self._docs = None

    def __len__(self) -> int:
        return self.bits.bit_count()

    def __contains__(self, doc: int) -> bool:
        index = doc >> 3
        return index < len(self._bytes) and bool(self._bytes[index] >> (doc & 7) & 1)

    def __iter__(self):
        if self._docs is None:
            self._docs = to_docs(self.bits)
        return iter(self._docs)


def _segment_bits(key, compute) -> int:
    if key is None:
        return compute()
    bits = _bitmaps.get(key)
    if bits is None:
        bits = compute()
        _bitmaps.keep(key, bits)
    return bits


def _key(reader, *what) -> tuple | None:
    segment = reader.segment()
    if segment is None:
        return None
    return (segment.segment_id(), *what)


def _live(reader) -> int | None:
    """The segment's live documents, None when it has no deletions. Kept under its
    deletion count (deletions only ever grow within a segment): an update deletes one
    document in a big segment, and the term bitmaps kept for it stay good, masked by this."""
    if not reader.has_deletions():
        return None
    segment = reader.segment()
    key = None if segment is None else (segment.segment_id(), segment.deleted_count(), "live")
    return _segment_bits(key, lambda: _live_bits(reader))


def _live_bits(reader) -> int:
    live = np.ones(reader.doc_count_all(), dtype=bool)
    return from_mask(bm25.live_mask(reader, live))


def _segments(searcher, key: tuple | None, compute):
    """(offset, live documents) of each segment, from its bitmap kept under `key` + what
    (computed by `compute(sub)`, deleted documents left in or not) masked by its live ones."""
    for sub, offset in searcher.leaf_searchers():
        reader = sub.reader()
        bits = _segment_bits(None if key is None else _key(reader, *key), lambda s=sub: compute(s))
        live = _live(reader)
        yield offset, bits if live is None else bits & live


def all_bits(searcher) -> int:
    """Every live document of the searcher."""
    total = 0
    for sub, offset in searcher.leaf_searchers():
        reader = sub.reader()
        live = _live(reader)
        if live is None:
            live = _segment_bits(_key(reader, "all"), lambda r=reader: (1 << r.doc_count_all()) - 1)
        total |= live << offset
    return total


def term_bits(searcher, fieldname: str, text: str, facet: bool = False) -> int:
    """The live documents holding this term (its postings read a block at a time by bm25,
    whoosh's docs_for_query where that cannot read them). A `facet` field has few terms a
    document: a small segment's are read all at once."""
    total = 0
    for offset, bits in _segments(
        searcher, (fieldname, text), lambda sub: _term_segment_bits(sub, fieldname, text, facet)
    ):
        total |= bits << offset
    return total


def _term_segment_bits(sub, fieldname: str, text: str, facet: bool) -> int:
    reader = sub.reader()
    if facet and reader.doc_count_all() <= SMALL_SEGMENT and reader.segment() is not None:
        return _small_segment_field(reader, fieldname).get(text, 0)
    matched = bm25.term_docs(reader, fieldname, text)
    if matched is None:
        return from_docs(sub.docs_for_query(Term(fieldname, text)))
    return from_mask(matched)


def _small_segment_field(reader, fieldname: str) -> dict[str, int]:
    """Every term of a facet field in a small segment (one a commit just made) and its
    bitmap, deleted documents left in: read at once from the segment's own terms, since
    most values a search counts are not in it, and looking each of them up took 8 ms of
    the first search after an approval at 10,000 providers."""
    key = ("field", reader.segment().segment_id(), fieldname)
    found = _bitmaps.get(key)
    if found is None:
        found = {}
        if fieldname in reader.schema:
            for text in reader.field_terms(fieldname):
                btext = reader.schema[fieldname].to_bytes(text)
                ids, _weights = bm25.postings(reader, fieldname, btext)
                found[text] = from_docs(ids.tolist())
        _bitmaps.keep(key, found)
    return found


def query_bits(searcher, key: tuple, query) -> int:
    """The live documents matching `query`, cached per segment under `key` (which must name
    the query exactly)."""
    total = 0
    for offset, bits in _segments(searcher, key, lambda sub: from_docs(sub.docs_for_query(query))):
        total |= bits << offset
    return total
