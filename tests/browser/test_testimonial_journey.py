"""Leaving a testimonial after a request in a real browser, with the keyboard only: which
provider, a mistake corrected without retyping the rest, then the thank-you and the form
for the other provider."""

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from directory.extensions import db
from directory.models import Testimonial as Given
from tests.browser.conftest import request_invitation
from tests.browser.keyboard import focused, tab_to

TEXT = "Nos documents ont rejoint un Nextcloud en une soirée, bénévoles formés."


def _href(page) -> str | None:
    return page.evaluate("() => document.activeElement.getAttribute('href')")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_keyboard_only_testimonial_after_a_request(page, live_server, lang):
    author = f"Association du Clavier {lang}"
    path = request_invitation(live_server.app, author)
    page.goto(f"{path}?lang={lang}")
    expect(page.locator("input[name=provider]")).to_have_count(2)

    # The first provider, a service, a text; "would recommend" forgotten.
    tab_to(page, lambda f: f["name"] == "provider")
    page.keyboard.press("Space")
    chosen = page.evaluate("() => document.activeElement.value")
    tab_to(page, lambda f: f["name"] == "services")
    page.keyboard.press("Space")
    tab_to(page, lambda f: f["id"] == "body")
    page.keyboard.type(TEXT)
    tab_to(page, lambda f: f["tag"] == "button" and f["text"] != "")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary.locator("a[href='#recommend']")).to_be_visible()
    expect(page.locator(f"input[name=provider][value='{chosen}']")).to_be_checked()
    expect(page.locator("#body")).to_have_value(TEXT)
    expect(page.locator("#author_name")).to_have_value(author)

    tab_to(page, lambda f: _href(page) == "#recommend")
    page.keyboard.press("Enter")
    tab_to(page, lambda f: f["name"] == "recommend")
    page.keyboard.press("Space")
    assert focused(page)["name"] == "recommend"
    tab_to(page, lambda f: f["tag"] == "button" and f["text"] != "")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    # Thanked for it; the form now speaks of the other provider only, without a choice.
    expect(page.locator(".given-testimonial")).to_have_count(1)
    expect(page.locator("input[name=provider][type=radio]")).to_have_count(0)
    expect(page.locator("main form.testimonial-form")).to_be_visible()
    with live_server.app.app_context():
        kept = db.session.scalars(select(Given).where(Given.author_name == author)).one()
        assert kept.body == TEXT and kept.via_directory and kept.provider.slug == chosen
