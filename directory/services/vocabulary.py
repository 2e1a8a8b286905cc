"""The needs-and-tools vocabulary (seed/vocabulary.json): the words associations use for their
needs and the proprietary tools they want to leave, mapped to services and free software.

Searches are read with it (a query naming "zoom" also finds the providers of video
conferencing, BigBlueButton and Jitsi Meet), the taxonomy API publishes it, and provider
pages derive "Alternative to …" from it.
"""

import json
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

from flask import current_app

from directory.models import normalise_tag
from directory.search import Expansion, Thesaurus, fold
from directory.services.taxonomy import Taxonomy, load_taxonomy


class VocabularyError(Exception):
    """The vocabulary file is unreadable or names an unknown service."""


@dataclass(frozen=True)
class Entry:
    """A tool (named, e.g. "Zoom") or a need (words only), and what it stands for."""

    kind: str  # "tool", "need" or "filler"
    name: str | None
    terms_fr: tuple[str, ...]
    terms_en: tuple[str, ...]
    services: tuple[str, ...]
    software: tuple[str, ...]
    role: str = ""
    # Words of what a tool is for ("formulaire", "forms" for Google Forms), in any language.
    words: tuple[str, ...] = ()

    @property
    def terms(self) -> tuple[str, ...]:
        return self.terms_fr + self.terms_en

    def expansion(self, term: str) -> Expansion:
        """What `term` stands for; its other words are, for a need, every other term of the
        entry (its synonyms, in both languages), for a tool the words of what it is for."""
        role = "filler" if self.kind == "filler" else self.role
        # A need's terms are synonyms; a tool's may name other tools ("microsoft" beside
        # "gafam"), so only its words count.
        others = (*self.terms, *self.words) if self.kind == "need" else self.words
        words = tuple(dict.fromkeys(w for w in others if fold(w) != fold(term)))
        return Expansion(
            self.name or term,
            frozenset(self.services),
            self.software,
            role,
            words=() if role == "filler" else words,
            tool=self.kind == "tool",
        )


@dataclass(frozen=True)
class Vocabulary:
    entries: tuple[Entry, ...]

    @property
    def tools(self) -> list[Entry]:
        return [entry for entry in self.entries if entry.kind == "tool"]

    @cached_property
    def _tool_keys(self) -> list[tuple[str, frozenset[str]]]:
        return [(t.name, frozenset(normalise_tag(n) for n in t.software)) for t in self.tools]

    def alternatives_to(self, software_names) -> list[str]:
        """The tools that some of these free software replace, in the file's order."""
        keys = {normalise_tag(name) for name in software_names}
        return [name for name, replacing in self._tool_keys if keys & replacing]


def _entry(kind: str, item: dict) -> Entry:
    terms = tuple(item.get("terms", ()))
    return Entry(
        kind=kind,
        name=item.get("name"),
        terms_fr=tuple(item.get("fr", ())) + terms,
        terms_en=tuple(item.get("en", ())),
        services=tuple(item.get("services", ())),
        software=tuple(item.get("software", ())),
        role=item.get("role", ""),
        words=tuple(item.get("words", ())),
    )


@cache
def read_vocabulary(path: str) -> Vocabulary:
    """Reads a vocabulary file once per process. Raises VocabularyError."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        entries = [_entry("tool", item) for item in data.get("tools", [])]
        entries += [_entry("need", item) for item in data.get("needs", [])]
        if data.get("fillers"):
            entries.append(_entry("filler", data["fillers"]))
    except (OSError, ValueError, AttributeError, TypeError) as error:
        raise VocabularyError(f"{path}: {error}") from error
    return Vocabulary(tuple(entries))


def load_vocabulary() -> Vocabulary:
    return read_vocabulary(current_app.config["VOCABULARY_FILE"])


def alternatives_for(provider) -> list[str]:
    """The proprietary tools that the free software a provider supports replace."""
    return load_vocabulary().alternatives_to(tag.name for tag in provider.software)


def check(vocabulary: Vocabulary, taxonomy: Taxonomy) -> list[str]:
    """What in the vocabulary the taxonomy does not know (unknown service codes)."""
    known = {service.code for service in taxonomy.services}
    return [
        f"{entry.name or entry.terms[0]}: unknown service {code!r}"
        for entry in vocabulary.entries
        for code in entry.services
        if code not in known
    ]


@cache
def _thesaurus(vocabulary: Vocabulary, taxonomy: Taxonomy) -> Thesaurus:
    terms = {}
    for entry in vocabulary.entries:
        for term in entry.terms:
            terms.setdefault(term, entry.expansion(term))
    texts = [
        text
        for vocabulary_terms in (
            taxonomy.services,
            taxonomy.structure_kinds,
            taxonomy.price_models,
            taxonomy.audiences,
            taxonomy.work_modes,
            taxonomy.regions,
        )
        for term in vocabulary_terms
        for text in (term.label_fr, term.label_en, term.description_fr, term.description_en)
    ]
    return Thesaurus(terms, texts)


def thesaurus() -> Thesaurus:
    """The vocabulary as the search package reads queries with it, with the taxonomy's
    accented words; one per process and taxonomy version."""
    return _thesaurus(load_vocabulary(), load_taxonomy())


def record(vocabulary: Vocabulary) -> list[dict]:
    """The vocabulary as the taxonomy API publishes it."""
    return [
        {
            "kind": entry.kind,
            "name": entry.name,
            "terms_fr": list(entry.terms_fr),
            "terms_en": list(entry.terms_en),
            "services": list(entry.services),
            "software": list(entry.software),
            "role": entry.role or None,
            "words": list(entry.words),
        }
        for entry in vocabulary.entries
    ]
