"""Snippets equal whoosh's own highlighter's, on every seed description."""

import json

import pytest
from whoosh.highlight import ContextFragmenter, HtmlFormatter, highlight

from directory.search.query import _SCHEMA, analyze
from directory.search.snippets import Snippets
from tests.conftest import SEED_DIR

SEED = json.loads((SEED_DIR / "providers.json").read_text(encoding="utf-8"))
WORDS = ["hébergement", "formations", "nextcloud", "associations", "libre", "vélos", "web",
         "données", "Bretagne", "hosting", "training", "the", "e.g", "comptabilité"]  # fmt: skip


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_snippets_are_whooshs(lang):
    field = f"text_{lang}"
    analyzer = _SCHEMA[field].analyzer
    snippets = Snippets(analyzer)
    fragmenter = ContextFragmenter(maxchars=240, surround=70)
    compared = marked = 0
    for item in SEED:
        text = item[f"description_{lang}"]
        if not text:
            continue
        for word in WORDS:
            terms = frozenset(analyze(field, word))
            formatter = HtmlFormatter(tagname="mark", between=" … ")
            expected = highlight(text, terms, analyzer, fragmenter, formatter, top=2)
            assert snippets.highlight(text, terms) == expected, (item["slug"], word)
            compared += 1
            marked += "<mark" in expected
    assert compared > 300 and marked > 30


def test_a_snippet_made_once_is_remembered_and_the_memo_stays_bounded(monkeypatch):
    from directory.search import snippets as module

    monkeypatch.setattr(module, "SNIPPET_MEMO_SIZE", 2)
    snippets = Snippets(_SCHEMA["text_fr"].analyzer)
    text, terms = "Hébergement Nextcloud pour les associations.", frozenset({"nextcloud"})
    first = snippets.highlight(text, terms)
    assert "<mark" in first
    monkeypatch.setattr(module, "_FRAGMENTER", None)  # making a snippet would now fail
    assert snippets.highlight(text, terms) == first
    with pytest.raises(AttributeError):
        snippets.highlight("Autre texte sur Nextcloud.", terms)
    assert len(snippets._snippets) <= 2
