"""The page cache serves anonymous home and search pages again, and only while they are true."""

import re

import pytest
from flask import render_template_string

from directory.page_cache import cached, page_cache
from directory.services import moderation, providers
from tests.conftest import html, make_app
from tests.unit.services.test_index_log import _queued

NONCE = re.compile(r"'nonce-([^']+)'")


@pytest.fixture
def app(tmp_path):
    """An app with the page cache on (TestConfig turns it off)."""
    app = make_app(tmp_path, PAGE_CACHE_SIZE=16)
    yield app
    app.extensions["directory.search"].index.close()


@pytest.fixture
def searches(monkeypatch):
    """Counts the searches run by the pages (each cache miss runs one)."""
    calls = []
    real = providers.find

    def counting(request, **options):
        calls.append(request)
        return real(request, **options)

    monkeypatch.setattr(providers, "find", counting)
    return calls


def _names(response) -> list[str]:
    return [a.get_text() for a in html(response).select(".card-title a")]


@pytest.mark.parametrize("path", ["/", "/search?q=nextcloud&service=hosting"])
def test_a_second_identical_request_is_served_from_the_cache(app, client, searches, path):
    first = client.get(path)
    second = client.get(path)
    assert first.status_code == second.status_code == 200
    assert len(searches) == 1
    # The same page, but for the nonce of each response (the results page has an inline
    # script).
    pages = [
        r.get_data(as_text=True).replace(NONCE.search(r.headers["Content-Security-Policy"])[1], "N")
        for r in (first, second)
    ]
    assert pages[0] == pages[1]
    with app.app_context():
        assert (page_cache().hits, page_cache().stores) == (1, 1)


def test_cached_pages_keep_the_per_request_headers(client):
    first = client.get("/search?q=nextcloud")
    second = client.get("/search?q=nextcloud")
    for response in (first, second):
        assert NONCE.search(response.headers["Content-Security-Policy"])
        assert response.headers["X-Frame-Options"] == "DENY"
        assert {"Cookie", "Accept-Language"} <= set(response.vary)
        assert "Set-Cookie" not in response.headers
    nonces = [NONCE.search(r.headers["Content-Security-Policy"])[1] for r in (first, second)]
    assert nonces[0] != nonces[1]


def test_the_nonce_in_a_cached_page_is_the_one_of_its_response(tmp_path):
    app = make_app(tmp_path, PAGE_CACHE_SIZE=16)
    page = '<script nonce="{{ csp_nonce() }}">var a = 1;</script><p>{{ n }}</p>'
    renders = []

    def script_page():
        renders.append(1)
        return render_template_string(page, n=len(renders))

    app.add_url_rule("/script-page", "script_page", cached(script_page))
    client = app.test_client()
    try:
        for _ in range(3):
            response = client.get("/script-page")
            script = html(response).select_one("script")
            header = NONCE.search(response.headers["Content-Security-Policy"])[1]
            assert script["nonce"] == header
            assert html(response).select_one("p").get_text() == "1"
        assert len(renders) == 1
    finally:
        app.extensions["directory.search"].index.close()


def test_an_approval_shows_on_the_next_page(app, client, moderator, searches):
    assert _names(client.get("/search?q=claviers")) == []
    assert _names(client.get("/search?q=claviers")) == []
    assert len(searches) == 1
    with app.test_request_context():
        moderation.approve(_queued(name="Claviers Rapides"), moderator, 1)
    assert _names(client.get("/search?q=claviers")) == ["Claviers Rapides"]
    assert "Claviers Rapides" in _names(client.get("/"))
    assert len(searches) == 3


def test_french_and_english_pages_are_cached_apart(client, searches):
    french = client.get("/search?q=nextcloud", headers={"Accept-Language": "fr"})
    english = client.get("/search?q=nextcloud", headers={"Accept-Language": "en"})
    assert html(french).html["lang"] == "fr"
    assert html(english).html["lang"] == "en"
    again = client.get("/search?q=nextcloud", headers={"Accept-Language": "en"})
    assert html(again).html["lang"] == "en"
    assert len(searches) == 2


def test_a_language_link_is_cached_and_still_sets_its_cookie(app, searches):
    for _ in range(2):
        visitor = app.test_client()
        response = visitor.get("/search?q=nextcloud&lang=en")
        assert html(response).html["lang"] == "en"
        assert "lang=en" in response.headers["Set-Cookie"]
        # The cookie then keeps the language on a link without ?lang=.
        assert html(visitor.get("/search?q=nextcloud")).html["lang"] == "en"
    # Two searches in all: the first visitor's two pages; the second visitor's are hits.
    assert len(searches) == 2
    with app.app_context():
        assert page_cache().hits == 2


def test_a_moderator_never_gets_nor_leaves_a_cached_page(app, client, auth, moderator, searches):
    anonymous = app.test_client()
    anonymous.get("/search?q=nextcloud")
    auth.login()
    for _ in range(2):
        page = html(client.get("/search?q=nextcloud"))
        assert page.select_one(".moderator-bar") is not None
    assert len(searches) == 3
    with app.app_context():
        stored = page_cache().stores
    for _ in range(2):
        assert html(client.get("/")).select_one(".moderator-bar") is not None
    with app.app_context():
        assert page_cache().stores == stored
    home = anonymous.get("/")
    assert html(home).select_one(".moderator-bar") is None
    assert html(anonymous.get("/search?q=nextcloud")).select_one(".moderator-bar") is None


def test_flashed_messages_bypass_the_cache(app, client, searches):
    client.get("/search?q=nextcloud")
    with client.session_transaction() as session:
        session["_flashes"] = [("success", "Merci, c’est noté.")]
    page = html(client.get("/search?q=nextcloud"))
    assert page.select_one(".flash").get_text() == "Merci, c’est noté."
    assert len(searches) == 2
    assert html(client.get("/search?q=nextcloud")).select_one(".flash") is None


def test_error_pages_are_not_cached(app, client, monkeypatch):
    def broken(request):
        raise providers.search.IndexUnavailable("broken")

    monkeypatch.setattr(providers, "find", broken)
    assert client.get("/search?q=nextcloud").status_code != 200
    monkeypatch.undo()
    assert client.get("/search?q=nextcloud").status_code == 200
    with app.app_context():
        assert page_cache().hits == 0


def test_the_oldest_page_leaves_a_full_cache(app, client):
    for number in range(20):
        client.get(f"/search?q=word{number}")
    with app.app_context():
        assert len(page_cache()) == 16


def test_a_remember_me_cookie_bypasses_the_cache(app, client, searches):
    client.get("/search?q=nextcloud")
    client.set_cookie("remember_token", "1|signature")
    client.get("/search?q=nextcloud")
    assert len(searches) == 2
