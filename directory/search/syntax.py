"""Reads a query's text: words, "quoted phrases", -exclusions, OR, and the words of the
needs-and-tools vocabulary.

The result is a conjunction of clauses, each a disjunction of alternatives: `a b` requires
both words, `a OR b` either, `"a b"` both words side by side, `-a` excludes documents holding
`a`. A run of words naming an entry of the vocabulary ("réunion en ligne", "zoom") becomes
one clause that the entry's services and software also satisfy. Anything else (stray quotes,
symbols, a trailing OR) is read as plain text, never refused.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from directory.search.folding import FOLDED_STOP_WORDS, fold

MAX_QUERY_CHARS = 400
MAX_QUERY_WORDS = 12
# "OR" typed in capitals (or its French "OU") between two words widens the search.
OR_WORDS = frozenset({"OR", "OU"})
# A minus that starts a token excludes it ("-google"); one inside a word ("Île-de-France")
# does not. A quote opens a phrase that runs to the next quote or the end.
_TOKEN = re.compile(r'(?P<neg>(?<!\S)-)?(?:"(?P<phrase>[^"]*)"?|(?P<word>\w+))')
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Expansion:
    """What an entry of the vocabulary stands for: services and free software."""

    label: str
    services: frozenset[str] = frozenset()
    software: tuple[str, ...] = ()
    # "filler": a word that names no need ("alternative to", "near"), dropped; "leave": a
    # word of leaving ("quitter"), which counts only when the query names nothing else.
    role: str = ""
    # Other words for the same need (the entry's other terms; for a tool, also the words of
    # what it does, "formulaire" for Google Forms): a provider writing one ranks higher.
    words: tuple[str, ...] = ()
    # A proprietary tool: a provider that writes its name writes about leaving it, the best
    # evidence; a need's own word ("visio") may only say how a provider works.
    tool: bool = False


@dataclass(frozen=True)
class Alternative:
    """Words that must all occur; side by side and in this order when `phrase`."""

    words: tuple[str, ...]
    phrase: bool = False


@dataclass(frozen=True)
class Clause:
    alternatives: tuple[Alternative, ...] = ()
    expansion: Expansion | None = None


@dataclass(frozen=True)
class ParsedQuery:
    clauses: tuple[Clause, ...] = ()
    excluded: tuple[Alternative, ...] = ()
    expansions: tuple[Expansion, ...] = field(default=())

    @property
    def words(self) -> list[str]:
        """Every searched word, in order, once: what snippets highlight."""
        seen = {}
        for clause in self.clauses:
            for alternative in clause.alternatives:
                for word in alternative.words:
                    seen.setdefault(word, None)
        return list(seen)


def is_stop_word(word: str) -> bool:
    """A stop word of either language, accents or not, or a one-letter word."""
    folded = fold(word)
    return folded in FOLDED_STOP_WORDS or len(folded) < 2


class Thesaurus:
    """Entries of the needs-and-tools vocabulary, looked up by their folded words."""

    def __init__(self, entries: dict[str, Expansion], texts: Iterable[str] = ()):
        # Folded words of a term -> its expansion; terms of several words are matched first.
        self._terms = {tuple(_WORD.findall(fold(term))): exp for term, exp in entries.items()}
        self._longest = max((len(words) for words in self._terms), default=0)
        # Single folded words of the terms: candidates for "did you mean".
        self.words = frozenset(w for words in self._terms for w in words if len(w) > 2)
        # Accented words of the vocabulary and of `texts` (the taxonomy's labels and
        # descriptions), by folded form: searched too when typed without accents.
        self._accented: dict[str, set[str]] = {}
        for text in (*entries, *texts):
            for word in _WORD.findall(text.lower()):
                if fold(word) != word:
                    self._accented.setdefault(fold(word), set()).add(word)

    def accented(self, word: str) -> tuple[str, ...]:
        return tuple(sorted(self._accented.get(fold(word), ())))

    def match(self, words: list[str], start: int) -> tuple[int, Expansion] | None:
        """The longest term starting at words[start]: (its length, its expansion)."""
        for size in range(min(self._longest, len(words) - start), 0, -1):
            key = tuple(fold(word) for word in words[start : start + size])
            if key in self._terms:
                return size, self._terms[key]
        return None


def words_of(text: str) -> tuple[str, ...]:
    """The words of a text as a query reads them, stop words included."""
    return tuple(_WORD.findall(text))


def _content_words(text: str) -> tuple[str, ...]:
    return tuple(word for word in _WORD.findall(text) if not is_stop_word(word))


def parse(text: str, thesaurus: Thesaurus | None = None) -> ParsedQuery:
    """Reads `text` (cut to MAX_QUERY_CHARS, and to MAX_QUERY_WORDS searched words)."""
    clauses: list[list] = []  # each: [alternatives, expansion]
    excluded: list[Alternative] = []
    expansions: list[Expansion] = []
    pending_or = False
    plain: list[str] = []  # a run of plain words, matched against the vocabulary at its end

    def add(alternatives, expansion=None):
        nonlocal pending_or
        if pending_or and clauses:
            clauses[-1][0].extend(alternatives)
            if expansion and clauses[-1][1] is None:
                clauses[-1][1] = expansion
        else:
            clauses.append([list(alternatives), expansion])
        pending_or = False

    def flush_plain():
        index = 0
        while index < len(plain):
            found = thesaurus.match(plain, index) if thesaurus else None
            if found:
                size, expansion = found
                words = _content_words(" ".join(plain[index : index + size]))
                if expansion.role != "filler":
                    expansions.append(expansion)
                    # The term's own words count side by side: "réunion en ligne" is not
                    # a provider of La Réunion that sells online.
                    phrase = Alternative(tuple(plain[index : index + size]), phrase=size > 1)
                    add([phrase] if words else [], expansion)
                index += size
            else:
                if not is_stop_word(plain[index]):
                    add([Alternative((plain[index],))])
                index += 1
        plain.clear()

    for match in _TOKEN.finditer(text[:MAX_QUERY_CHARS]):
        word, phrase, negative = match["word"], match["phrase"], bool(match["neg"])
        if word in OR_WORDS and not negative:
            flush_plain()
            pending_or = bool(clauses)
            continue
        if word is not None and not negative:
            if pending_or:
                # "a OR b": b joins a's clause, so it is not matched as part of a longer term.
                flush_plain()
                plain.append(word)
                flush_plain()
            else:
                plain.append(word)
            continue
        flush_plain()
        words = tuple(_WORD.findall(phrase if phrase is not None else word))
        if not words:
            continue
        alternative = Alternative(words, phrase=len(words) > 1)
        if negative:
            excluded.append(alternative)
        elif _content_words(" ".join(words)):
            add([alternative])
    flush_plain()
    if any(not (e and e.role == "leave") for _alternatives, e in clauses):
        # "quitter zoom": Zoom's alternatives, not the providers of migration that also
        # host video meetings.
        clauses = [c for c in clauses if not (c[1] and c[1].role == "leave")]
        expansions = [e for e in expansions if e.role != "leave"]
    return _cut(clauses, excluded, expansions)


def _cut(clauses, excluded, expansions) -> ParsedQuery:
    kept, count = [], 0
    for alternatives, expansion in clauses:
        count += sum(len(a.words) for a in alternatives) or 1
        if count > MAX_QUERY_WORDS:
            break
        kept.append(Clause(tuple(alternatives), expansion))
    return ParsedQuery(
        tuple(kept), tuple(excluded[:MAX_QUERY_WORDS]), tuple(dict.fromkeys(expansions))
    )
