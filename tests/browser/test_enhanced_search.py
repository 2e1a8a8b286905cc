"""The results page with its script: filters and the map apply without a reload, the address
stays shareable, Back works, and the new count is announced by the live region."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.axe import describe, run_axe

LANGS = pytest.mark.parametrize("lang", ["fr", "en"])


def _watch(page) -> None:
    """Marks the document (a full reload loses the mark) and records every text the count
    shows, in place (a replaced element would not be announced by screen readers)."""
    page.evaluate(
        """() => {
            window.sameDocument = true;
            window.countTexts = [];
            const count = document.getElementById('results-count');
            new MutationObserver(() => window.countTexts.push(count.textContent.trim()))
                .observe(count, {childList: true, characterData: true, subtree: true});
        }"""
    )


def _count(page) -> int:
    return int(re.search(r"\d+", page.locator("#results-count").inner_text()).group())


def _assert_same_document(page) -> None:
    assert page.evaluate("() => window.sameDocument === true"), "the page was reloaded"


@LANGS
def test_a_ticked_filter_applies_without_reload_and_is_announced(page, lang):
    page.goto(f"/search?lang={lang}")
    count = page.locator("#results-count")
    expect(count).to_have_attribute("aria-live", "polite")
    expect(count).to_have_attribute("role", "status")
    before = _count(page)
    _watch(page)

    page.locator("input[name=service][value=hosting]").check()
    expect(page).to_have_url(re.compile(r"[?&]service=hosting"))
    expect(page.locator("input[name=service][value=hosting]")).to_be_checked()
    _assert_same_document(page)
    after = _count(page)
    assert 0 < after < before
    texts = page.evaluate("() => window.countTexts")
    assert texts and re.search(rf"\b{after}\b", texts[-1]), texts
    # Focus stays on the box just ticked, so keyboard users keep their place.
    assert page.evaluate("() => document.activeElement.value") == "hosting"

    # The address is shareable: opened afresh, it shows the same search.
    shared = page.url
    other = page.context.new_page()
    other.goto(shared)
    expect(other.locator("input[name=service][value=hosting]")).to_be_checked()
    assert _count(other) == after
    other.close()

    page.go_back()
    expect(page).not_to_have_url(re.compile(r"service="))
    expect(page.locator("input[name=service][value=hosting]")).not_to_be_checked()
    assert _count(page) == before
    _assert_same_document(page)


@LANGS
def test_the_map_toggles_a_region(page, axe_source, lang):
    page.goto(f"/search?q=nextcloud&lang={lang}")
    _watch(page)
    brittany = page.locator('#region-map [data-region="53"]')
    expect(brittany).to_have_attribute("aria-label", re.compile(r"\d"))
    brittany.click()
    expect(page).to_have_url(re.compile(r"[?&]region=53"))
    expect(page).to_have_url(re.compile(r"[?&]q=nextcloud"))
    expect(page.locator("input[name=region][value='53']")).to_be_checked()
    expect(page.locator('#region-map [data-region="53"]')).to_have_class(
        re.compile(r"\bis-selected\b")
    )
    _assert_same_document(page)
    cards = page.locator("#results .card")
    assert cards.count() > 0
    # The page put together by the script is as accessible as the one the server sent.
    violations = run_axe(page, axe_source)
    assert violations == [], describe(violations)

    page.locator('#region-map [data-region="53"]').click()
    expect(page).not_to_have_url(re.compile(r"region=53"))
    expect(page.locator("input[name=region][value='53']")).not_to_be_checked()
    _assert_same_document(page)


def test_on_a_phone_the_filters_unfold_then_apply(page):
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto("/search?q=nextcloud")
    hosting = page.locator("input[name=service][value=hosting]")
    # Folded, so that the results come first on a small screen.
    expect(hosting).to_be_hidden()
    page.locator("#facets .facets-details > summary").click()
    hosting.check()
    expect(page).to_have_url(re.compile(r"[?&]service=hosting"))
    # The filters stay unfolded after the update, where the visitor left them.
    expect(page.locator("input[name=service][value=hosting]")).to_be_visible()
    expect(page.locator("input[name=service][value=hosting]")).to_be_checked()
    no_horizontal_scroll = "() => document.documentElement.scrollWidth <= window.innerWidth"
    assert page.evaluate(no_horizontal_scroll)
