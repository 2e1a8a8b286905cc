"""The console watcher of every browser test can fail: it sees errors, CSP refusals and
resources that fail to load."""

from playwright.sync_api import expect


def _wait_for(page, console_errors, words: str) -> None:
    for _ in range(50):
        if any(words in error for error in console_errors):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"{words!r} never reported: {console_errors}")


def test_it_reports_errors_csp_refusals_and_failed_resources(page, console_errors):
    page.goto("/")
    expect(page.locator("h1")).to_be_visible()
    page.evaluate("() => console.error('logged on purpose')")
    _wait_for(page, console_errors, "logged on purpose")
    page.evaluate("() => setTimeout(() => { throw new Error('thrown on purpose'); })")
    _wait_for(page, console_errors, "thrown on purpose")
    # An inline script without the nonce is refused by the CSP, and Chromium says so.
    page.evaluate(
        """() => document.body.append(Object.assign(document.createElement('script'),
            {textContent: 'window.injected = true'}))"""
    )
    _wait_for(page, console_errors, "Content Security Policy")
    assert page.evaluate("() => window.injected") is None
    page.evaluate(
        """() => document.body.append(Object.assign(document.createElement('img'),
            {src: '/static/missing.png', alt: ''}))"""
    )
    _wait_for(page, console_errors, "404 for")
    # All seen: empty the list so that this test's own teardown passes.
    console_errors.clear()
