"""Static files: every URL the pages write names the file's digest, and a URL naming the
current digest is cached for a year while any other is revalidated."""

import hashlib

import pytest

from directory.config import ROOT
from tests.conftest import html

YEAR = "public, max-age=31536000, immutable"


def _digest(filename: str) -> str:
    """Computed here from the file itself, not by the module under test."""
    return hashlib.sha256((ROOT / "static" / filename).read_bytes()).hexdigest()[:12]


def _static_urls(page) -> list[str]:
    urls = [tag["href"] for tag in page.select("link[href]")]
    urls += [tag["src"] for tag in page.select("[src]")]
    return [url for url in urls if "/static/" in url]


def _provider_page(client) -> str:
    return html(client.get("/search")).select_one(".card-title a")["href"]


PAGES = [
    "/",
    "/search?q=formation&region=53",
    "/apply",
    "/embed",
    "/help/",
    "/help/tools?want=leave",
    "/help/results?want=leave&tool=Zoom&remote=1",
    "/requests/new?provider=coop-num-armor&want=leave&tool=Zoom",
    "/providers/coop-num-armor/report",
]


@pytest.mark.parametrize("path", PAGES)
def test_every_static_url_of_a_page_names_the_current_digest(seeded_client, path):
    page = html(seeded_client.get(path))
    urls = _static_urls(page)
    assert any("/static/css/site.css" in url for url in urls)
    for url in urls:
        filename, _, query = url.split("/static/", 1)[1].partition("?")
        assert query == f"v={_digest(filename)}", url


def test_the_provider_page_names_the_current_digest_too(seeded_client):
    page = html(seeded_client.get(_provider_page(seeded_client)))
    assert _static_urls(page) == [
        f"/static/css/site.css?v={_digest('css/site.css')}",
        f"/static/favicon.svg?v={_digest('favicon.svg')}",
    ]


def test_a_file_asked_by_its_current_digest_is_cached_for_a_year(client):
    url = f"/static/css/site.css?v={_digest('css/site.css')}"
    with client.get(url) as response:
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == YEAR
        assert response.data == (ROOT / "static" / "css" / "site.css").read_bytes()


@pytest.mark.parametrize("query", ["", "?v=0123456789ab", "?v="])
def test_a_file_asked_without_or_by_another_digest_is_revalidated(client, query):
    with client.get(f"/static/css/site.css{query}") as response:
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "no-cache"
        assert response.headers["ETag"] and response.headers["Last-Modified"]
        etag = response.headers["ETag"]
    with client.get(f"/static/css/site.css{query}", headers={"If-None-Match": etag}) as again:
        assert again.status_code == 304


def test_a_revalidation_of_the_current_url_keeps_the_year(client):
    url = f"/static/js/search.js?v={_digest('js/search.js')}"
    with client.get(url) as response:
        etag = response.headers["ETag"]
    with client.get(url, headers={"If-None-Match": etag}) as again:
        assert again.status_code == 304
        assert again.headers["Cache-Control"] == YEAR


@pytest.mark.parametrize("path", ["/static/missing.css", "/static/../app.py"])
def test_a_missing_file_is_not_found_whatever_its_digest(client, path):
    with client.get(f"{path}?v=0123456789ab") as response:
        assert response.status_code == 404
        assert "immutable" not in response.headers.get("Cache-Control", "")
