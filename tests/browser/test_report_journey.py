"""Reporting a problem in a real browser, with the keyboard only: a mistake, corrected
without retyping the rest, then the report in the moderators' queue."""

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from directory.extensions import db
from directory.models import ReportMessage
from tests.browser.keyboard import focused, tab_to

SLUG = "coop-num-armor"
DETAILS = "Le site web indiqué mène à une page d'erreur depuis un mois."


def _href(page) -> str | None:
    return page.evaluate("() => document.activeElement.getAttribute('href')")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_keyboard_only_report_with_a_mistake_corrected(page, live_server, lang):
    email = f"signale-{lang}@example.org"
    page.goto(f"/providers/{SLUG}?lang={lang}")
    tab_to(page, lambda f: f["tag"] == "a" and _href(page) == f"/providers/{SLUG}/report")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    # "Other" without details is refused; the email typed meanwhile stays.
    page.locator("input[name=reason][value=other]").focus()
    page.keyboard.press("Space")
    tab_to(page, lambda f: f["id"] == "email")
    page.keyboard.type(email)
    tab_to(page, lambda f: f["tag"] == "button")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary.locator("a[href='#body']")).to_be_visible()
    expect(page.locator("#body")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#email")).to_have_value(email)
    expect(page.locator("input[name=reason][value=other]")).to_be_checked()

    tab_to(page, lambda f: _href(page) == "#body")
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "body"
    page.keyboard.type(DETAILS)
    tab_to(page, lambda f: f["tag"] == "button")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("main h1")).to_be_visible()
    assert page.url.endswith(f"/providers/{SLUG}/report/sent")

    with live_server.app.app_context():
        kept = db.session.scalars(select(ReportMessage).where(ReportMessage.email == email)).one()
        assert kept.body == DETAILS
