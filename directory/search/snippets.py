"""Highlighted snippets, with whoosh's fragmenter and formatter but a faster token stream.

Whoosh's highlighter runs the field's analyser over the whole description of every hit:
the Snowball stemmer in pure Python, token by token, was half of a search's time. The text
is cut into the very tokens the analyser's tokenizer yields (same pattern, same offsets),
and each distinct word is analysed once per process, so the fragments are the same.
"""

import re
import threading
from collections import OrderedDict

from whoosh.analysis import Token
from whoosh.highlight import (
    FIRST,
    BasicFragmentScorer,
    ContextFragmenter,
    HtmlFormatter,
    top_fragments,
)

# RegexTokenizer's default pattern: the tokens (and offsets) the analysers start from.
_TOKEN = re.compile(r"\w+(?:\.?\w+)*")
# Words whose analysed term is remembered; the memo is emptied when it grows past this.
MEMO_SIZE = 100_000
# Snippets remembered (text and terms -> snippet), least recently used out first: a word
# searched again, with other filters or on another page, finds its snippets made.
SNIPPET_MEMO_SIZE = 4096
_FRAGMENTER = ContextFragmenter(maxchars=240, surround=70)
_SCORER = BasicFragmentScorer()


class _Plain:
    """An unmatched token: the fragmenter only reads its offsets (and never keeps it)."""

    __slots__ = ("endchar", "startchar")
    matched = False


class Snippets:
    """Highlights texts of one field."""

    def __init__(self, analyzer):
        self._analyzer = analyzer
        self._terms: dict[str, str | None] = {}
        self._snippets: OrderedDict[tuple[str, frozenset[str], int], str] = OrderedDict()
        self._lock = threading.Lock()

    def _term(self, word: str) -> str | None:
        term = self._terms.get(word, "")
        if term == "":
            if len(self._terms) >= MEMO_SIZE:
                self._terms.clear()
            terms = [t.text for t in self._analyzer(word, mode="query")]
            term = self._terms[word] = terms[0] if len(terms) == 1 else None
        return term

    def _tokens(self, text: str, terms: frozenset[str]):
        plain = _Plain()
        for match in _TOKEN.finditer(text):
            term = self._term(match.group())
            if term is not None and term in terms:
                yield Token(text=term, startchar=match.start(), endchar=match.end(), matched=True)
            else:
                plain.startchar, plain.endchar = match.start(), match.end()
                yield plain

    def highlight(self, text: str, terms: frozenset[str], top: int = 2) -> str:
        """`text` cut to its `top` best fragments around `terms`, matches in <mark>, HTML
        escaped; "" when no term occurs."""
        key = (text, terms, top)
        with self._lock:
            snippet = self._snippets.get(key)
            if snippet is not None:
                self._snippets.move_to_end(key)
                return snippet
        fragments = _FRAGMENTER.fragment_tokens(text, self._tokens(text, terms))
        # A formatter per text: it numbers the terms it meets (class="match term0") and
        # would go on counting across texts and threads.
        formatter = HtmlFormatter(tagname="mark", between=" … ")
        snippet = formatter(text, top_fragments(fragments, top, _SCORER, FIRST, minscore=1))
        with self._lock:
            self._snippets[key] = snippet
            while len(self._snippets) > SNIPPET_MEMO_SIZE:
                self._snippets.popitem(last=False)
        return snippet
