"""Writing to a provider in a real browser, with the keyboard only: a mistake, corrected
without retyping the rest, then the message sent."""

import pytest
from playwright.sync_api import expect

from tests.browser.keyboard import focused, tab_to

SLUG = "coop-num-armor"
TOO_MANY_LINKS = "Voir https://a.example.org, https://b.example.org et https://c.example.org."
MESSAGE = "Bonjour, nous cherchons un hébergement Nextcloud pour notre association."


def _href(page) -> str | None:
    return page.evaluate("() => document.activeElement.getAttribute('href')")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_keyboard_only_message_with_a_mistake_corrected(page, live_server, lang):
    sender = f"clavier-{lang}@asso.example.org"
    page.goto(f"/providers/{SLUG}?lang={lang}")
    tab_to(page, lambda f: f["tag"] == "a" and _href(page) == f"/providers/{SLUG}/contact")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    tab_to(page, lambda f: f["id"] == "sender_name")
    page.keyboard.type("Association du Clavier")
    tab_to(page, lambda f: f["id"] == "sender_email")
    page.keyboard.type(sender)
    tab_to(page, lambda f: f["name"] == "audience")
    page.keyboard.press("Space")
    tab_to(page, lambda f: f["name"] == "service")
    page.keyboard.press("Space")
    tab_to(page, lambda f: f["id"] == "body")
    page.keyboard.type(TOO_MANY_LINKS)
    tab_to(page, lambda f: f["id"] == "consent")
    page.keyboard.press("Space")
    tab_to(page, lambda f: f["tag"] == "button")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary.locator("a[href='#body']")).to_be_visible()
    expect(page.locator("#body")).to_have_attribute("aria-invalid", "true")
    # Everything typed or ticked is still there.
    expect(page.locator("#sender_name")).to_have_value("Association du Clavier")
    expect(page.locator("#sender_email")).to_have_value(sender)
    expect(page.locator("#body")).to_have_value(TOO_MANY_LINKS)
    expect(page.locator("input[name=audience]:checked")).to_have_count(1)
    expect(page.locator("input[name=service]:checked")).to_have_count(1)
    expect(page.locator("#consent")).to_be_checked()

    # From the summary's link to the field, then the text replaced.
    tab_to(page, lambda f: _href(page) == "#body")
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "body"
    page.keyboard.press("Control+A")
    page.keyboard.type(MESSAGE)
    tab_to(page, lambda f: f["tag"] == "button")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("main h1")).to_be_visible()
    assert page.url.endswith(f"/providers/{SLUG}/contact/sent")

    [copy] = live_server.emails_to(sender)
    assert MESSAGE in copy.get_body(("plain",)).get_content()
    relayed = [m for m in live_server.emails_to(f"{SLUG}@example.org") if m["Reply-To"] == sender]
    assert len(relayed) == 1
