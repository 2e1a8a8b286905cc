""" "Did you mean": a close edit of each word that matched nothing, from the indexed words
and the needs-and-tools vocabulary, kept only if the corrected query finds something.

Whoosh's corrector proposes any word within two edits, ranked by its frequency, which made
"nextcloud hostng" into "nextcloud losing" and "3615" into "365". Here a word is only
corrected when it has letters, four of them at least; the candidates are ranked by their
edit distance on folded text (a swap of two letters counts one), then by keeping the first
letter; a short word (up to five letters) accepts one edit only.
"""

import heapq
import re

from rapidfuzz import process
from rapidfuzz.distance import OSA

from directory.search import segment_cache
from directory.search.folding import fold
from directory.search.syntax import MAX_QUERY_CHARS, ParsedQuery, Thesaurus, parse

SPELLING_FIELD = "spell"
MIN_LENGTH = 4
SHORT_WORD = 5
CANDIDATES = 8


def distance(first: str, second: str) -> int:
    """Optimal string alignment distance: insertions, deletions, substitutions and swaps of
    two neighbouring letters each count one."""
    rows = [list(range(len(second) + 1))]
    for i, a in enumerate(first, 1):
        row = [i]
        for j, b in enumerate(second, 1):
            cost = min(rows[-1][j] + 1, row[j - 1] + 1, rows[-1][j - 1] + (a != b))
            if i > 1 and j > 1 and a == second[j - 2] and first[i - 2] == b:
                cost = min(cost, rows[-2][j - 2] + 1)
            row.append(cost)
        rows.append(row)
    return rows[-1][-1]


def known_words(searcher) -> segment_cache.SpellingWords:
    """Every word the index can suggest (each segment's read once, see segment_cache)."""
    field = searcher.schema[SPELLING_FIELD].spelling_fieldname(SPELLING_FIELD)
    return segment_cache.spelling_words(searcher, field)


def close_words(searcher, word: str) -> list[str]:
    """Up to CANDIDATES indexed spelling words within two edits of `word` (insertions,
    deletions, substitutions, swaps), the most frequent first: what whoosh's corrector
    proposes, found without it. It compared `word` with every indexed word in Python, 150 to
    200 ms at 10,000 providers, for every search with a word that matches nothing; rapidfuzz
    compares them in C, over the words kept per segment (segment_cache.spelling_words)."""
    by_length = known_words(searcher).by_length
    words = [w for size in range(len(word) - 2, len(word) + 3) for w in by_length.get(size, ())]
    within = process.extract(word, words, scorer=OSA.distance, score_cutoff=2, limit=None)
    frequency = searcher.reader().frequency
    others = [found for found, _distance, _key in within if found != word]
    ranked = heapq.nlargest(CANDIDATES, ((frequency(SPELLING_FIELD, w) or 1, w) for w in others))
    return [found for _f, found in sorted(ranked, key=lambda item: (-item[0], item[1]))]


def _candidates(searcher, thesaurus: Thesaurus | None, word: str) -> list[str]:
    found = close_words(searcher, word.lower())
    folded = fold(word)
    if thesaurus is not None:
        found += [w for w in thesaurus.words if abs(len(w) - len(folded)) <= 2]
    allowed = 1 if len(folded) <= SHORT_WORD else 2
    scored = []
    for candidate in dict.fromkeys(found):
        edits = distance(folded, fold(candidate))
        if 0 < edits <= allowed:
            # Ties go to the same first letter, then to the accented spelling of a word.
            other_start = fold(candidate[:1]) != folded[:1]
            scored.append((edits, other_start, fold(candidate) == candidate, candidate))
    return [candidate for *_rank, candidate in sorted(scored)]


def suggest(searcher, cache, text: str, query: ParsedQuery, thesaurus) -> str | None:
    """`text` with each word that matches nothing replaced by its best close edit that makes
    the query find something; None when no word needs it or none helps."""
    replacements = {}
    for clause in query.clauses:
        words = [w for alternative in clause.alternatives for w in alternative.words]
        if clause.expansion is not None or len(words) != 1 or cache.word_docs(words[0]):
            continue
        word = words[0]
        if len(word) < MIN_LENGTH or not word.isalpha():
            return None
        for candidate in _candidates(searcher, thesaurus, word):
            if cache.query_docs(parse(candidate, thesaurus)):
                replacements[word] = candidate
                break
        else:
            return None
    if not replacements:
        return None
    fixed = re.sub(r"\w+", lambda m: replacements.get(m.group(), m.group()), text[:MAX_QUERY_CHARS])
    if not cache.query_docs(parse(fixed, thesaurus)):
        return None
    return fixed
