"""A word's BM25F scores over one index segment, computed with numpy: the same figures as
whoosh's, without its matcher and scorer called for every posting.

Scoring a common word the first time is what a visitor waited for: whoosh walks the word's
postings in Python, asking for each document its field length and score (about 6 us a
posting: 30 to 70 ms for a common word at 10,000 providers, 0.4 to 0.9 s at 100,000). Here
each term's postings are read a block at a time, the field lengths once per segment (kept
with the segment, see segment_cache), and BM25F is one vector expression. The query must be
what matching.word_query makes (an Or of boosted Terms, or one Term) and the weighting
whoosh's BM25F; anything else returns None and whoosh scores it.
"""

import numpy as np
from whoosh import scoring
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.matching.wrappers import FilterMatcher
from whoosh.query import Or, Term
from whoosh.util.numeric import byte_to_length

from directory.search.kept import KeptBytes

# Field lengths are stored as one byte (a lossy scale); the length each byte stands for.
_LENGTH_OF_BYTE = np.array([byte_to_length(b) or 0 for b in range(256)], dtype=np.float64)


def _terms(query) -> list[Term] | None:
    if isinstance(query, Term):
        return [query]
    if isinstance(query, Or) and all(type(sub) is Term for sub in query.subqueries):
        return list(query.subqueries)
    return None


def field_lengths(reader, fieldname: str) -> np.ndarray:
    """Every document's length in `fieldname` in this segment (whoosh's own column, read at
    once; 0 where the document has no such field)."""
    count = reader.doc_count_all()
    column = reader._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
    if column is None:
        return np.zeros(count)
    if hasattr(column, "_dbfile") and hasattr(column, "_basepos"):
        raw = np.frombuffer(column._dbfile.get(column._basepos, count), dtype=np.uint8)
    else:  # another column reader: a byte per document, read one by one
        raw = np.fromiter((column[doc] for doc in range(count)), dtype=np.uint8, count=count)
    return _LENGTH_OF_BYTE[raw]


# The postings last read: a word's first search reads each of its terms twice, for its
# documents (docsets) and for its scores, and decoding a common term's blocks (zlib, then
# pickle, positions included) is most of that search. 16 bytes a posting (6.4 MB: 400,000
# postings), and a few hundred bytes an entry, for the many short lists.
MAX_POSTING_BYTES = 6_400_000
_ENTRY_BYTES = 200
_recent = KeptBytes(
    lambda: MAX_POSTING_BYTES, lambda found: found[0].nbytes + found[1].nbytes + _ENTRY_BYTES
)


def postings(reader, fieldname: str, btext: bytes) -> tuple[np.ndarray, np.ndarray]:
    """The term's document numbers and weights in this segment, deleted documents included
    (the callers mask them with live_mask: whoosh's filter of deleted documents would walk
    every posting in Python, and every update leaves one in the big segment). A segment's
    postings never change, so the last ones read are kept by the segment's id."""
    segment = reader.segment() if hasattr(reader, "segment") else None
    key = None if segment is None else (segment.segment_id(), fieldname, btext)
    found = None if key is None else _recent.get(key)
    if found is None:
        found = _read_postings(reader, fieldname, btext)
        if key is not None:
            found[0].flags.writeable = found[1].flags.writeable = False
            _recent.keep(key, found)
    return found


def _read_postings(reader, fieldname: str, btext: bytes) -> tuple[np.ndarray, np.ndarray]:
    matcher = reader.postings(fieldname, btext)
    if isinstance(matcher, FilterMatcher) and matcher._exclude:
        matcher = matcher.child
    ids, weights = [], []
    if all(hasattr(matcher, name) for name in ("_data", "_read_data", "_byteids", "_next_block")):
        # Whoosh's own block matcher: a block's ids and weights are whole arrays.
        while matcher.is_active():
            block_ids, block_weights = _block(matcher)
            ids.append(block_ids)
            weights.append(block_weights)
            matcher._next_block()
        if not ids:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        return np.concatenate(ids), np.concatenate(weights)
    while matcher.is_active():  # short lists kept inline in the term's record
        ids.append(matcher.id())
        weights.append(matcher.weight())
        matcher.next()
    return np.array(ids, dtype=np.int64), np.array(weights, dtype=np.float64)


def _block(matcher) -> tuple[np.ndarray, np.ndarray]:
    """The current block's ids and weights as whoosh's _read_ids and _read_weights give them,
    decoded with numpy: whoosh adds up the ids' deltas in a Python generator."""
    if matcher._data is None:
        matcher._read_data()
    raw_ids, raw_weights = matcher._data[0], matcher._data[1]
    ids = np.array(raw_ids, dtype=np.int64)
    if not matcher._byteids:
        ids = np.cumsum(ids)
    if raw_weights is None:
        weights = np.ones(len(ids))
    elif isinstance(raw_weights, float):  # whoosh repeats it in a float32 array
        weights = np.full(len(ids), raw_weights, dtype=np.float32).astype(np.float64)
    else:
        weights = np.array(raw_weights, dtype=np.float64)
    return ids, weights


def live_mask(reader, matched: np.ndarray) -> np.ndarray:
    """`matched` (one boolean per document of the segment) without its deleted documents."""
    if reader.has_deletions():
        deleted = reader.deleted_docs_set
        matched[np.fromiter(deleted, dtype=np.int64, count=len(deleted))] = False
    return matched


def term_docs(reader, fieldname: str, text: str) -> np.ndarray | None:
    """The live documents of this segment holding the term, as a boolean per document (what
    whoosh's docs_for_query gives, a posting at a time); None for a reader this cannot read."""
    if not hasattr(reader, "_perdoc") or fieldname not in reader.schema:
        return None
    matched = np.zeros(reader.doc_count_all(), dtype=bool)
    btext = reader.schema[fieldname].to_bytes(text)
    if (fieldname, btext) in reader:
        ids, _weights = postings(reader, fieldname, btext)
        matched[ids] = True
    return live_mask(reader, matched)


def segment_scores(sub, query, lengths) -> tuple[np.ndarray, np.ndarray] | None:
    """Documents of the leaf searcher `sub` that `query` matches (segment-local numbers,
    deleted ones left out) and their scores, as whoosh's sub.search(query) gives them; None
    when the query or the weighting is not one this computes. `lengths(reader, field)` gives
    a segment's field lengths (kept by the caller)."""
    terms = _terms(query)
    weighting = sub.weighting
    if terms is None or type(weighting) is not scoring.BM25F:
        return None
    reader = sub.reader()
    if not hasattr(reader, "_perdoc"):
        return None
    parent = sub.get_parent()
    schema = reader.schema
    total = np.zeros(reader.doc_count_all())
    matched = np.zeros(reader.doc_count_all(), dtype=bool)
    for term in terms:
        field = term.fieldname
        if field not in schema or not schema[field].scorable:
            return None
        btext = schema[field].to_bytes(term.text)
        if (field, btext) not in reader:
            continue
        ids, tf = postings(reader, field, btext)
        fl = lengths(reader, field)[ids]
        idf = parent.idf(field, btext)
        avgfl = parent.avg_field_length(field) or 1
        b = weighting._field_B.get(field, weighting.B)
        k1 = weighting.K1
        scores = idf * ((tf * (k1 + 1)) / (tf + k1 * ((1 - b) + b * fl / avgfl)))
        if term.boost != 1.0:
            scores = scores * term.boost
        total[ids] += scores  # a term lists a document once
        matched[ids] = True
    docs = np.flatnonzero(live_mask(reader, matched)).astype(np.int32)
    return docs, total[docs]
