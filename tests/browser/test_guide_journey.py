"""Finding help in a real browser: the whole questionnaire with the keyboard only, axe on
every step and on the result, Back that keeps the answers, and the limit of 3 providers."""

import pytest
from playwright.sync_api import expect

from tests.browser.axe import describe, run_axe
from tests.browser.keyboard import focused, tab_to


def _no_violation(page, axe_source, where: str) -> None:
    violations = run_axe(page, axe_source)
    assert violations == [], f"{where}:\n{describe(violations)}"


def _continue(page) -> None:
    tab_to(page, lambda f: f["tag"] == "button")
    with page.expect_navigation():
        page.keyboard.press("Enter")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_keyboard_only_questionnaire(page, live_server, axe_source, lang):
    page.goto(f"/?lang={lang}")
    tab_to(
        page,
        lambda f: (
            f["tag"] == "a"
            and f["text"] == page.locator("nav.site-nav a[href='/help/']").inner_text()
        ),
    )
    with page.expect_navigation():
        page.keyboard.press("Enter")

    # Step 1: nothing chosen, then continue: the question comes back, with its error.
    expect(page.locator(".guide-step-count")).to_contain_text("1")
    _no_violation(page, axe_source, f"step 1 in {lang}")
    _continue(page)
    expect(page.locator("#want-error")).to_be_visible()
    _no_violation(page, axe_source, f"step 1 with its error in {lang}")
    tab_to(page, lambda f: f["name"] == "want")
    page.keyboard.press("Space")  # the first choice: leave a tool
    expect(page.locator("#want-leave")).to_be_checked()
    _continue(page)

    # Step 2: Zoom, the first tool.
    expect(page.locator(".guide-step-count")).to_contain_text("2")
    _no_violation(page, axe_source, f"step 2 in {lang}")
    tab_to(page, lambda f: f["id"] == "tool-1")
    page.keyboard.press("Space")
    _continue(page)

    # Step 3: Bretagne, typed into the focused list.
    expect(page.locator(".guide-step-count")).to_contain_text("3")
    _no_violation(page, axe_source, f"step 3 in {lang}")
    tab_to(page, lambda f: f["id"] == "region")
    page.keyboard.type("Bret" if lang == "fr" else "Britt")
    expect(page.locator("#region")).to_have_value("53")
    _continue(page)

    # Step 4, then Back: step 3 still says Bretagne, and the earlier answers ride along.
    expect(page.locator(".guide-step-count")).to_contain_text("4")
    _no_violation(page, axe_source, f"step 4 in {lang}")
    tab_to(
        page,
        lambda f: (
            f["tag"] == "a"
            and "guide-back" in page.evaluate("() => document.activeElement.className")
        ),
    )
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("#region")).to_have_value("53")
    expect(page.locator("input[type=hidden][name=tool]")).to_have_value("Zoom")
    _continue(page)
    tab_to(page, lambda f: f["id"] == "onsite")
    _continue(page)

    # Step 5: a paid service, chosen with the arrow keys.
    expect(page.locator(".guide-step-count")).to_contain_text("5")
    _no_violation(page, axe_source, f"step 5 in {lang}")
    tab_to(page, lambda f: f["name"] == "budget")
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(page.locator("#budget-paid")).to_be_checked()
    _continue(page)

    # The result: a video-conferencing host serving Bretagne first, and why, in words.
    assert page.url.split("?")[0].endswith("/help/results")
    _no_violation(page, axe_source, f"the result in {lang}")
    first = page.locator("li.guide-match").first
    expect(first.locator("input[name=provider]")).to_have_value("libre-video-coop")
    expect(first.locator(".guide-why")).to_contain_text("BigBlueButton, Jitsi Meet")
    tab_to(page, lambda f: f["id"] == "choose-1")
    page.keyboard.press("Space")
    expect(page.locator("#choose-1")).to_be_checked()
    tab_to(page, lambda f: f["tag"] == "button")
    assert focused(page)["text"]


def test_at_most_three_providers_can_be_ticked(page):
    page.goto("/help/results?want=setup&remote=1&lang=en")
    boxes = page.locator("input[name=provider]")
    assert boxes.count() > 3
    for index in range(3):
        boxes.nth(index).check()
    for index in range(3, boxes.count()):
        expect(boxes.nth(index)).to_be_disabled()
    boxes.nth(0).uncheck()
    expect(boxes.nth(3)).to_be_enabled()


@pytest.mark.parametrize(
    "path",
    [
        "/help/tools?want=leave",
        "/help/place?want=leave&postcode=99999",
        "/help/results?want=leave&tool=Zoom&region=53",
        "/help/results?want=security&region=53&onsite=1&budget=free&tool=Zoom",
    ],
)
def test_no_axe_violation_on_a_phone(page, axe_source, path):
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(path)
    _no_violation(page, axe_source, path)
    # Nothing wider than the screen (reflow).
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 375
