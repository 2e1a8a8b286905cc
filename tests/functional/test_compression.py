"""Compressed responses: pages, API, exports and static files in brotli or gzip, with
conditional requests, the page cache and HEAD still answered right."""

import gzip
import json

import brotli
import pytest
from bs4 import BeautifulSoup

from directory.config import ROOT
from directory.page_cache import page_cache
from tests.conftest import html, make_app

DECODE = {"gzip": gzip.decompress, "br": brotli.decompress}


def _plain(response) -> bytes:
    return DECODE[response.headers["Content-Encoding"]](response.get_data())


@pytest.mark.parametrize(("accepted", "chosen"), [("gzip", "gzip"), ("gzip, deflate, br", "br")])
def test_a_page_is_compressed_in_what_the_browser_accepts(seeded_client, accepted, chosen):
    plain = seeded_client.get("/search?q=formation&region=53")
    packed = seeded_client.get(
        "/search?q=formation&region=53", headers={"Accept-Encoding": accepted}
    )
    assert "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == chosen
    assert "Accept-Encoding" in packed.headers["Vary"]
    assert int(packed.headers["Content-Length"]) == len(packed.get_data())
    assert len(packed.get_data()) < len(plain.get_data()) / 3
    titles = [a.get_text() for a in html(plain).select(".card-title a")]
    unpacked = BeautifulSoup(_plain(packed), "html.parser")
    assert titles and [a.get_text() for a in unpacked.select(".card-title a")] == titles


@pytest.mark.parametrize(
    "path",
    [
        "/help/",
        "/help/tools?want=leave",
        "/help/results?want=leave&tool=Zoom&remote=1",
        "/requests/new?provider=coop-num-armor",
        "/providers/coop-num-armor/report",
    ],
)
def test_the_new_pages_are_compressed(seeded_client, path):
    plain = seeded_client.get(path)
    packed = seeded_client.get(path, headers={"Accept-Encoding": "br"})
    assert plain.status_code == packed.status_code == 200
    assert packed.headers["Content-Encoding"] == "br"
    assert "Accept-Encoding" in packed.headers["Vary"]
    assert len(packed.get_data()) < len(plain.get_data()) / 2
    unpacked = BeautifulSoup(_plain(packed), "html.parser")
    assert unpacked.select_one("h1").get_text() == html(plain).select_one("h1").get_text()


def test_the_api_is_compressed_and_still_answers_304(seeded_client):
    headers = {"Accept-Encoding": "gzip"}
    first = seeded_client.get("/api/v1/providers?per_page=50", headers=headers)
    assert first.headers["Content-Encoding"] == "gzip"
    assert json.loads(_plain(first))["total"] > 0
    again = seeded_client.get(
        "/api/v1/providers?per_page=50",
        headers={**headers, "If-None-Match": first.headers["ETag"]},
    )
    assert again.status_code == 304
    assert again.get_data() == b""
    # A client without compression has its own ETag, and its own 304.
    plain = seeded_client.get("/api/v1/providers?per_page=50")
    assert plain.headers["ETag"] != first.headers["ETag"]
    assert plain.get_json() is not None
    assert (
        seeded_client.get(
            "/api/v1/providers?per_page=50", headers={"If-None-Match": plain.headers["ETag"]}
        ).status_code
        == 304
    )


def test_the_csv_export_is_compressed_whole(seeded_client):
    plain = seeded_client.get("/export/providers.csv")
    packed = seeded_client.get("/export/providers.csv", headers={"Accept-Encoding": "br"})
    assert packed.headers["Content-Encoding"] == "br"
    assert _plain(packed) == plain.get_data()


def test_head_announces_the_compressed_length_without_a_body(seeded_client):
    headers = {"Accept-Encoding": "gzip"}
    get = seeded_client.get("/about", headers=headers)
    head = seeded_client.head("/about", headers=headers)
    assert head.status_code == 200
    assert head.headers["Content-Encoding"] == "gzip"
    assert head.get_data() == b""
    assert int(head.headers["Content-Length"]) == len(get.get_data())


@pytest.mark.parametrize("accepted", ["gzip", "br"])
def test_a_static_file_is_compressed_and_revalidated(client, accepted):
    headers = {"Accept-Encoding": accepted}
    with client.get("/static/css/site.css", headers=headers) as first:
        assert first.headers["Content-Encoding"] == accepted
        assert _plain(first) == (ROOT / "static" / "css" / "site.css").read_bytes()
        etag = first.headers["ETag"]
    with client.get("/static/css/site.css", headers={**headers, "If-None-Match": etag}) as again:
        assert again.status_code == 304


def test_a_range_of_a_static_file_is_sent_as_it_is(client):
    headers = {"Accept-Encoding": "gzip", "Range": "bytes=0-99"}
    with client.get("/static/css/site.css", headers=headers) as part:
        assert part.status_code == 206
        assert "Content-Encoding" not in part.headers
        assert part.get_data() == (ROOT / "static" / "css" / "site.css").read_bytes()[:100]


def test_the_page_cache_keeps_plain_pages_and_serves_each_client_its_encoding(tmp_path):
    app = make_app(tmp_path, PAGE_CACHE_SIZE=16)
    client = app.test_client()
    packed = client.get("/", headers={"Accept-Encoding": "gzip"})
    plain = client.get("/")
    packed_again = client.get("/", headers={"Accept-Encoding": "br"})
    with app.app_context():
        assert (page_cache().stores, page_cache().hits) == (1, 2)
    assert "Content-Encoding" not in plain.headers
    assert html(plain).select_one("h1")
    nonce_free = [_plain(packed), plain.get_data(), _plain(packed_again)]
    assert [len(page) for page in nonce_free] == [len(nonce_free[1])] * 3


def test_compression_can_be_left_to_a_proxy(tmp_path):
    client = make_app(tmp_path, COMPRESS_RESPONSES=False).test_client()
    response = client.get("/about", headers={"Accept-Encoding": "gzip, br"})
    assert "Content-Encoding" not in response.headers
    assert html(response).select_one("h1")
