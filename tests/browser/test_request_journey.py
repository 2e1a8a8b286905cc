"""One request to several providers in a real browser: a mistake corrected without retyping
the rest, the request sent, a provider's answer through its link, the association's private
page; axe on each page of the journey, in French and in English (no console error: the
console_errors fixture watches every page)."""

import pytest
from playwright.sync_api import expect

from tests.browser.axe import describe, run_axe

PROVIDERS = ("coop-num-armor", "toile-de-mer")
MESSAGE = "Bonjour, nous voulons quitter Zoom et héberger nos documents nous-mêmes."
TOO_MANY_LINKS = "Voir https://a.example.org, https://b.example.org et https://c.example.org."


def _no_violation(page, axe_source, where: str) -> None:
    violations = run_axe(page, axe_source)
    assert violations == [], f"{where}:\n{describe(violations)}"


def _link(email, part: str) -> str:
    body = email.get_body(("plain",)).get_content()
    word = next(w for w in body.split() if part in w)
    return "/" + word.split("/", 3)[3]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_request_with_a_mistake_corrected_then_answered(page, live_server, axe_source, lang):
    sender = f"demande-{lang}@asso.example.org"
    query = "&".join(f"provider={slug}" for slug in PROVIDERS)
    page.goto(f"/requests/new?{query}&want=hosting&tool=Zoom&region=53&remote=1&lang={lang}")
    expect(page.locator(".chosen-providers li")).to_have_count(2)
    expect(page.locator("input[name=service][value=hosting]")).to_be_checked()
    _no_violation(page, axe_source, "request form")

    page.locator("#sender_name").fill("Association de la Demande")
    page.locator("#sender_email").fill(sender)
    page.locator("input[name=audience]").first.check()
    page.locator("#body").fill(TOO_MANY_LINKS)
    page.locator("#consent").check()
    with page.expect_navigation():
        page.locator("main form button[type=submit]:not([name])").click()

    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(page.locator("#body")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#sender_name")).to_have_value("Association de la Demande")
    expect(page.locator("#sender_email")).to_have_value(sender)
    expect(page.locator("#body")).to_have_value(TOO_MANY_LINKS)
    expect(page.locator("input[name=service][value=hosting]")).to_be_checked()
    expect(page.locator("#consent")).to_be_checked()
    expect(page.locator(".chosen-providers li")).to_have_count(2)
    _no_violation(page, axe_source, "request form with an error")

    page.locator("#body").fill(MESSAGE)
    with page.expect_navigation():
        page.locator("main form button[type=submit]:not([name])").click()
    assert page.url.endswith("/requests/sent")
    _no_violation(page, axe_source, "request sent")

    [copy] = live_server.emails_to(sender)
    private = _link(copy, "/requests/")
    to_provider = [
        m for m in live_server.emails_to(f"{PROVIDERS[0]}@example.org") if m["Reply-To"] == sender
    ]
    assert len(to_provider) == 1
    page.goto(_link(to_provider[0], "/will_answer") + f"?lang={lang}")
    _no_violation(page, axe_source, "answer confirm page")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    expect(page.locator(".notice")).to_be_visible()
    _no_violation(page, axe_source, "answer recorded")

    page.goto(f"{private}?lang={lang}")
    expect(page.locator(".request-recipients .state-will_answer")).to_have_count(1)
    _no_violation(page, axe_source, "private page")
    page.goto(f"{private}/erase?lang={lang}")
    _no_violation(page, axe_source, "erase page")
