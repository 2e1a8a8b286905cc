"""WCAG 2.1 AA in the browser: axe-core over every page in French and English, then what axe
cannot see: languages of texts, reflow at 320 px, a visible focus at every Tab stop."""

import pytest

from tests.browser.axe import describe, run_axe
from tests.browser.conftest import ADMIN, MODERATOR, login
from tests.browser.keyboard import tab_through


def _apply_with_errors(page, lang):
    page.goto(f"/apply?lang={lang}")
    page.locator("#website").fill("not a web address")
    with page.expect_navigation():
        page.locator("form[enctype] button[type=submit]").click()
    return 400


def _report_with_errors(page, lang):
    page.goto(f"/providers/coop-num-armor/report?lang={lang}")
    page.locator("#email").fill("not an address")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    return 400


def _contact_with_errors(page, lang):
    page.goto(f"/providers/coop-num-armor/contact?lang={lang}")
    page.locator("#sender_email").fill("not an address")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    return 400


def _ask_testimonial_with_errors(page, lang):
    page.goto(f"/providers/coop-num-armor/testimonial?lang={lang}")
    page.locator("#email").fill("not an address")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    return 400


# page type -> (needs a moderator, how to open it: a path, or a function of (page, lang)
# that opens it and returns the expected HTTP status)
PAGES = {
    "home": (False, "/"),
    "results": (False, "/search?q=nextcloud&service=hosting&region=53&kind=association"),
    # On a phone the filters fold away and the header stacks: contrast and names again.
    "results-phone": (False, "/search?q=nextcloud&service=hosting&region=53"),
    "provider": (False, "/providers/coop-num-armor"),
    # Described in French only: in English, the text keeps its own language.
    "provider-fallback": (False, "/providers/toile-de-mer"),
    "apply": (False, "/apply"),
    "apply-errors": (False, _apply_with_errors),
    "contact": (False, "/providers/coop-num-armor/contact"),
    "contact-errors": (False, _contact_with_errors),
    "contact-sent": (False, "/providers/coop-num-armor/contact/sent"),
    "report": (False, "/providers/coop-num-armor/report"),
    "report-errors": (False, _report_with_errors),
    "report-sent": (False, "/providers/coop-num-armor/report/sent"),
    "status": (False, None),  # the pending application's private status page
    "login": (False, "/login"),
    "queue": (True, "/moderation/"),
    "queue-item": (True, None),  # the pending application
    "queue-report": (True, None),  # the open report
    "queue-reports": (True, "/moderation/?kind=report&state=received"),
    "queue-testimonial": (True, None),  # the testimonial waiting for a moderator
    "testimonial": (False, None),  # the invitation's form
    "testimonial-errors": (False, None),  # the same, sent with nothing filled in
    "testimonial-request": (False, None),  # after a request: which provider, then the form
    "testimonial-ask": (False, "/providers/coop-num-armor/testimonial"),
    "testimonial-ask-errors": (False, _ask_testimonial_with_errors),
    "testimonial-ask-sent": (False, "/providers/coop-num-armor/testimonial/sent"),
    "provider-moderator": (True, "/providers/coop-num-armor"),  # with its open reports
    "dashboard": (True, "/moderation/dashboard"),
    "not-found": (False, "/providers/no-such-provider"),
}


def _open(page, live_server, kind: str, lang: str) -> None:
    needs_login, target = PAGES[kind]
    if kind.endswith("-phone"):
        page.set_viewport_size({"width": 375, "height": 812})
    if needs_login:
        login(page)
    if kind == "status":
        target = live_server.status_path
    elif kind == "queue-item":
        target = f"/moderation/items/{live_server.pending_id}"
    elif kind == "queue-report":
        target = f"/moderation/reports/{live_server.report_id}"
    elif kind == "queue-testimonial":
        target = f"/moderation/testimonials/{live_server.testimonial_id}"
    elif kind == "testimonial":
        target = live_server.testimonial_path
    elif kind == "testimonial-request":
        target = live_server.request_testimonial_path
    elif kind == "testimonial-errors":
        path = live_server.testimonial_path

        def target(page, lang):
            page.goto(f"{path}?lang={lang}")
            page.locator("#body").fill("")
            with page.expect_navigation():
                page.locator("main form button[type=submit]").click()
            return 400

    if callable(target):
        expected = target(page, lang)
        status = expected
    else:
        separator = "&" if "?" in target else "?"
        response = page.goto(f"{target}{separator}lang={lang}")
        status = response.status
        expected = 404 if kind == "not-found" else 200
    assert status == expected, f"{kind}: HTTP {status}"
    assert page.locator("html").get_attribute("lang") == lang


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("kind", list(PAGES))
def test_no_axe_violation(page, live_server, axe_source, kind, lang):
    _open(page, live_server, kind, lang)
    violations = run_axe(page, axe_source)
    assert violations == [], f"{kind} in {lang}:\n{describe(violations)}"


def test_axe_finds_what_it_should(page, axe_source):
    """The check itself can fail: a page without a language and an image without a text
    alternative gives the two expected violations."""
    page.set_content(
        '<title>t</title><main><img src="data:image/gif;base64,'
        'R0lGODlhAQABAAAAACH5BAEKAAEALAAAAAABAAEAAAICTAEAOw=="></main>'
    )
    violations = {violation["id"] for violation in run_axe(page, axe_source)}
    assert {"html-has-lang", "image-alt"} <= violations


@pytest.mark.parametrize(
    ("slug", "ui", "written_in"),
    [
        ("toile-de-mer", "en", "fr"),
        ("toile-de-mer", "fr", "fr"),
        ("sarah-pennington-digital-help", "fr", "en"),
        ("sarah-pennington-digital-help", "en", "en"),
    ],
)
def test_text_in_the_other_language_is_marked(page, slug, ui, written_in):
    """A description shown in the other language carries its language, as the browser
    resolves it (so screen readers pronounce it right)."""
    page.goto(f"/providers/{slug}?lang={ui}")
    assert page.locator("html").get_attribute("lang") == ui
    for selector in (".description p", ".lead"):
        resolved = page.locator(selector).first.evaluate(
            "el => (el.querySelector('[lang]') || el).closest('[lang]').lang"
        )
        assert resolved == written_in, selector


# Pages beyond those the issue lists: (who logs in, path or LiveServer attribute).
OTHER_PAGES = {
    "about": (None, "/about"),
    "how-to-apply": (None, "/how-to-apply"),
    "charter": (None, "/charter"),
    "faq": (None, "/faq"),
    "legal": (None, "/legal"),
    "privacy": (None, "/privacy"),
    "edit-link": (None, "/edit-link"),
    "edit": (None, "edit_path"),
    "contact-erase": (None, "contact_erase_path"),
    "amend": (None, "amend_path"),
    "widget": (None, "/embed?service=hosting&region=53"),
    "audit": (MODERATOR, "/moderation/audit"),
    "password": (MODERATOR, "/account/password"),
    "moderators": (ADMIN, "/admin/moderators"),
}


def _open_other(page, live_server, kind: str, lang: str) -> None:
    account, target = OTHER_PAGES[kind]
    if account:
        login(page, account)
    if not target.startswith("/"):
        target = getattr(live_server, target)
    separator = "&" if "?" in target else "?"
    response = page.goto(f"{target}{separator}lang={lang}")
    assert response.status == 200, f"{kind}: HTTP {response.status}"
    assert page.locator("html").get_attribute("lang") == lang


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("kind", list(OTHER_PAGES))
def test_no_axe_violation_on_other_pages(page, live_server, axe_source, kind, lang):
    _open_other(page, live_server, kind, lang)
    violations = run_axe(page, axe_source)
    assert violations == [], f"{kind} in {lang}:\n{describe(violations)}"


def _assert_reflows(page, kind: str) -> None:
    """WCAG 1.4.10: at 320 CSS pixels wide, nothing needs scrolling sideways."""
    overflow = page.evaluate(
        """() => [...document.querySelectorAll('body *')]
            .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1
                          && el.closest('.visually-hidden, .skip-link') === null)
            .slice(0, 5).map(el => el.tagName + '.' + el.className)"""
    )
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 320, f"{kind}: {width} px wide, overflowing: {overflow}"


NARROW = {"width": 320, "height": 640}


@pytest.mark.parametrize("kind", [kind for kind in PAGES if not kind.endswith("-phone")])
def test_pages_reflow_at_320_px(page, live_server, kind):
    page.set_viewport_size(NARROW)
    _open(page, live_server, kind, "fr")
    _assert_reflows(page, kind)


@pytest.mark.parametrize("kind", list(OTHER_PAGES))
def test_other_pages_reflow_at_320_px(page, live_server, kind):
    page.set_viewport_size(NARROW)
    _open_other(page, live_server, kind, "fr")
    _assert_reflows(page, kind)


@pytest.mark.parametrize("kind", [kind for kind in PAGES if not kind.endswith("-phone")])
def test_every_focus_stop_is_visible(page, live_server, kind):
    """WCAG 2.4.7: Tab through the whole page; each element shows where the focus is."""
    _open(page, live_server, kind, "fr")
    assert tab_through(page) > 5
