"""Quoted phrases matched as written, not only by their stems.

Positions are kept on stemmed words, so "comptabilité associative" in quotes also matched
"plan comptable associatif" (Snowball meets "comptabilité" and "comptable" at "comptabl"),
which is not what quotes ask for. Each document stores its words lightly normalised: lower
case, accents folded, stop words left out (as positions leave them out), a plural's final
"s" or "x" dropped, so that "comptabilités associatives" and "comptabilite associative" are
still the phrase. A phrase's stem matches are then checked against that copy. Storing it
beside the snippets costs no positions and no indexing of its own.
"""

import re

from directory.search.folding import FOLDED_STOP_WORDS, fold

FIELD = "wording"
# Between two fields, so that a phrase never runs from the end of one into the next.
_BOUNDARY = "|"
_WORD = re.compile(r"\w+")


def _plain(word: str) -> str:
    return word[:-1] if len(word) > 3 and word[-1] in "sx" else word


def plain_words(text: str) -> list[str]:
    return [_plain(word) for word in _WORD.findall(fold(text)) if word not in FOLDED_STOP_WORDS]


def of_texts(*texts: str) -> str:
    """The stored copy of a document's texts."""
    return f" {_BOUNDARY} ".join(" ".join(plain_words(text)) for text in texts if text)


def needle(words) -> str:
    """A phrase's words as they are looked for in the stored copy ("" when none is left)."""
    return " ".join(plain_words(" ".join(words)))


def holds(stored: str, phrase_needle: str) -> bool:
    return f" {phrase_needle} " in f" {stored} "
