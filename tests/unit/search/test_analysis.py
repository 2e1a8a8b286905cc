"""The analysers: accents, case, stems and plurals in French and English."""

import pytest

from directory.search import analyze, query_words


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("hébergement", "hebergement"),
        ("formations", "formation"),
        ("vélos", "vélo"),
        ("réparations", "réparation"),
        ("comptabilité", "comptable"),
        ("NEXTCLOUD", "nextcloud"),
        ("réseaux", "réseau"),
        # A feminine agreement, right or wrong, does not hide the stem.
        ("créée", "créé"),
        ("comptabilitée", "comptabilité"),
        ("comptabilitées", "comptabilités"),
    ],
)
def test_french_forms_share_a_term(first, second):
    assert analyze("text_fr", first) == analyze("text_fr", second)
    assert analyze("text_fr", first) != []


@pytest.mark.parametrize(("first", "second"), [("trainings", "training"), ("lists", "list")])
def test_english_forms_share_a_term(first, second):
    assert analyze("text_en", first) == analyze("text_en", second)


def test_stop_words_of_either_language_are_dropped():
    assert query_words("réparation de vélos for the associations") == [
        "réparation",
        "vélos",
        "associations",
    ]


def test_symbols_and_control_characters_are_not_words():
    assert query_words('"Nextcloud* field:\x00 😀 (') == ["Nextcloud", "field"]


def test_a_very_long_query_is_cut():
    assert len(query_words("mot " * 5000)) <= 12
