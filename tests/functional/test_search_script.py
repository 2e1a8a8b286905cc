"""The results page's script and the elements it relies on; its behaviour in a browser is
checked by tests/browser."""

from tests.conftest import html


def test_the_results_page_loads_its_own_script_deferred(seeded_client):
    page = html(seeded_client.get("/search"))
    scripts = page.select("script[src]")
    assert [s["src"].partition("?")[0] for s in scripts] == ["/static/js/search.js"]
    assert scripts[0].has_attr("defer")
    with seeded_client.get(scripts[0]["src"]) as served:
        assert served.status_code == 200
        assert served.mimetype in {"text/javascript", "application/javascript"}
        assert b"pushState" in served.data and b"popstate" in served.data


def test_the_elements_the_script_swaps_are_on_the_page(seeded_client):
    page = html(seeded_client.get("/search?service=hosting"))
    form = page.select_one("form#filters")
    assert form["method"] == "get" and form["action"] == "/search"
    assert form.select_one("#facets") and form.select_one("#results #results-list")
    count = page.select_one("#results #results-count")
    assert count["aria-live"] == "polite" and count["role"] == "status"
    # Without the script every filter still applies through the form's submit button.
    assert form.select_one(".facet-actions button[type=submit]")


def test_no_page_other_than_results_loads_a_script(seeded_client):
    for path in ["/", "/about", "/apply", "/login"]:
        assert not html(seeded_client.get(path)).select("script[src]"), path


def test_the_filters_fold_on_a_phone_before_the_first_paint(seeded_client):
    """search.js, deferred, folded them after the page was painted: the results jumped up
    (Lighthouse, mobile: a layout shift of 0.42). An inline script right after the filters
    folds them while the page is parsed; it carries the request's CSP nonce."""
    response = seeded_client.get("/search?q=formation&region=53")
    details = html(response).select_one("form#filters details.facets-details")
    fold = details.find_next_sibling()
    assert fold.name == "script" and not fold.has_attr("src")
    assert f"'nonce-{fold['nonce']}'" in response.headers["Content-Security-Policy"]
    assert 'matchMedia("(max-width: 52rem)")' in fold.string
