"""Model rules: tag normalisation, language fallback, safe website links."""

import pytest

from directory.models import Provider, normalise_tag


@pytest.mark.parametrize("name", ["NextCloud", "nextcloud", " Nextcloud ", "NEXTCLOUD"])
def test_software_tags_normalise_to_one_key(name):
    assert normalise_tag(name) == "nextcloud"


def test_inner_spaces_collapse():
    assert normalise_tag("Jitsi   Meet") == "jitsi meet"


def test_localized_text_falls_back_to_the_other_language():
    provider = Provider(pitch_fr="Bonjour", pitch_en="  ")
    english = provider.localized("pitch", "en")
    assert (english.text, english.lang, english.is_fallback) == ("Bonjour", "fr", True)
    french = provider.localized("pitch", "fr")
    assert (french.text, french.lang, french.is_fallback) == ("Bonjour", "fr", False)


def test_localized_text_when_both_are_empty():
    provider = Provider(pitch_fr="", pitch_en="")
    assert provider.localized("pitch", "fr").text == ""
    assert provider.localized("pitch", "fr").is_fallback is False


@pytest.mark.parametrize(
    ("website", "expected"),
    [
        ("https://a.example.org", "https://a.example.org"),
        ("HTTP://a.example.org", "HTTP://a.example.org"),
        ("javascript:alert(1)", None),
        ("data:text/html,x", None),
        ("//evil.example", None),
        (None, None),
    ],
)
def test_only_http_websites_are_linked(website, expected):
    assert Provider(website=website).website_url == expected
