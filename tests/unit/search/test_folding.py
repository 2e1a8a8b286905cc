"""Any word of the seed data, typed without its accents and in capitals, finds exactly what
the word itself finds."""

import json
import re
import unicodedata

import pytest

from directory import search
from directory.search import SearchRequest, analyze
from directory.services.vocabulary import thesaurus
from tests.conftest import SEED_DIR

_WORD = re.compile(r"\w+")


def strip_accents(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _texts(value):
    """Every string of a JSON value, but codes, addresses and dates."""
    if isinstance(value, str):
        if not re.fullmatch(r"[\w.:/@+-]*\d[\w.:/@+ -]*|https?://\S+|\S+@\S+", value):
            yield value
    elif isinstance(value, list):
        for item in value:
            yield from _texts(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            if key not in ("code", "slug", "website", "email", "phone"):
                yield from _texts(item)


def seed_vocabulary() -> list[str]:
    words = set()
    for name in ("providers.json", "taxonomy.json"):
        data = json.loads((SEED_DIR / name).read_text(encoding="utf-8"))
        for text in _texts(data):
            words.update(_WORD.findall(text))
    return sorted(words)


def test_the_walk_covers_the_accented_words_of_both_languages():
    words = seed_vocabulary()
    assert len(words) > 1000
    assert {"comptabilité", "sécurité", "activité", "Île", "réseaux", "Brittany"} <= set(words)


def _ids(text: str) -> list[int]:
    """What the search page finds (read with the vocabulary, as providers.find does)."""
    request = SearchRequest(text=text, per_page=1000, facets=False, thesaurus=thesaurus())
    return sorted(hit.provider_id for hit in search.search(request).hits)


def test_every_seed_word_unaccented_and_in_capitals_finds_the_same(seeded_app):
    differences = {}
    with seeded_app.app_context():
        for word in seed_vocabulary():
            plain = strip_accents(word).upper()
            found, found_plain = _ids(word), _ids(plain)
            if found != found_plain:
                differences[word] = (len(found), plain, len(found_plain))
    assert differences == {}


@pytest.mark.parametrize(
    ("word", "plain"),
    [("comptabilité", "comptabilite"), ("sécurité", "securite"), ("activité", "activite")],
)
def test_the_issues_examples_find_providers_without_accents(seeded_app, word, plain):
    with seeded_app.app_context():
        assert _ids(word)
        assert _ids(plain) == _ids(word)


def test_stems_still_join_accented_forms():
    assert analyze("text_fr", "comptabilité") == analyze("text_fr", "comptable")
