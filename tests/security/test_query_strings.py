"""A query string is data: parameters named like url_for's own arguments or like the route's
variables give the normal page, and the links built from it carry them back as data."""

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.conftest import html, make_app
from tests.factories import make_provider
from tests.forms import application_form

RESERVED = ["_anchor", "_scheme", "_method", "_external", "endpoint", "values", "lang"]


@pytest.fixture(scope="module")
def listed_app(tmp_path_factory):
    """One app with one listed provider, made once for the tests that only read its pages
    (GET): there are 117 of them, and an app takes 0.1 s to make on SQLite, 0.4 s on
    PostgreSQL."""
    app = make_app(tmp_path_factory.mktemp("query-strings"))
    with app.app_context():
        make_provider(slug="acme", name="Acme", services=["hosting"], regions=["53"])
    yield app
    app.extensions["directory.search"].index.close()


@pytest.fixture
def listed_client(listed_app):
    """A client of its own for each test on that app: no cookie goes from a test to the next."""
    return listed_app.test_client()


def _status_path(client) -> str:
    response = client.post("/apply", data=application_form(client))
    assert response.status_code == 302
    page = html(client.get(response.headers["Location"]))
    link = page.select_one("a[href^='/status/']")
    assert link is not None
    return link["href"]


@pytest.mark.parametrize("name", RESERVED)
@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/search",
        "/search?service=hosting",
        "/about",
        "/providers/acme",
        "/providers/acme/report",
        "/providers/acme/testimonial",
        "/apply",
        "/embed",
        "/help/",
        "/help/place?want=leave&tool=Zoom",
        "/help/results?want=leave&tool=Zoom&region=53&budget=free",
        "/requests/new?provider=acme&want=hosting&region=53",
    ],
)
def test_reserved_parameter_names_give_the_normal_page(listed_client, path, name):
    joiner = "&" if "?" in path else "?"
    response = listed_client.get(f"{path}{joiner}{name}=x&{name}=y")
    assert response.status_code == 200, response.status_code
    if name != "lang" and path != "/embed":
        switch = html(response).select_one("a[hreflang=en]")
        target = urlsplit(switch["href"])
        assert target.path == urlsplit(path).path
        assert parse_qs(target.query)[name] == ["x", "y"]
        assert parse_qs(target.query)["lang"] == ["en"]


@pytest.mark.parametrize("name", RESERVED)
@pytest.mark.parametrize("path", ["/feeds/providers.atom", "/sitemap.xml", "/api/v1/providers"])
def test_reserved_parameter_names_in_feeds_and_api(listed_client, path, name):
    response = listed_client.get(f"{path}?{name}=x&service=hosting")
    if path.startswith("/api/") and name == "lang":
        # The API checks its own parameters: an unknown language is a 400 that says why.
        assert response.status_code == 400
        assert "lang" in response.get_json()["error"]["message"]
    else:
        assert response.status_code == 200


def test_a_route_variable_in_the_query_string_does_not_replace_it(listed_client):
    response = listed_client.get("/providers/acme?slug=other")
    assert response.status_code == 200
    assert html(response).h1.get_text(strip=True) == "Acme"
    switch = html(response).select_one("a[hreflang=en]")["href"]
    assert urlsplit(switch).path == "/providers/acme"
    assert parse_qs(urlsplit(switch).query) == {"slug": ["other"], "lang": ["en"]}


def test_the_report_form_posts_to_its_own_entry_whatever_the_query_string(listed_client):
    response = listed_client.get("/providers/acme/report?slug=other&_external=1")
    assert response.status_code == 200
    assert html(response).select_one("main form")["action"] == "/providers/acme/report"


def test_the_status_page_ignores_a_token_parameter(client):
    path = _status_path(client)
    response = client.get(f"{path}?token=x&_external=1")
    assert response.status_code == 200
    switch = html(response).select_one("a[hreflang=en]")["href"]
    assert urlsplit(switch).path == path


def test_search_links_carry_reserved_names_as_data(listed_client):
    response = listed_client.get("/search?service=hosting&_anchor=x&endpoint=y&page=1")
    assert response.status_code == 200
    page = html(response)
    chip = page.select_one(".chip-removable a")["href"]
    assert parse_qs(urlsplit(chip).query) == {"_anchor": ["x"], "endpoint": ["y"]}
    region = page.select_one("a[data-region='53']")["href"]
    assert parse_qs(urlsplit(region).query)["region"] == ["53"]
    assert "#" not in region


def test_the_atom_feed_links_back_to_the_same_search(listed_client):
    response = listed_client.get("/feeds/providers.atom?service=hosting&_scheme=ftp&endpoint=x")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "ftp://" not in body
    assert 'href="http://localhost/search?service=hosting&amp;_scheme=ftp&amp;endpoint=x"' in body


def test_the_widget_links_back_to_the_same_search(listed_client):
    response = listed_client.get("/embed?service=hosting&_external=0&_method=POST")
    assert response.status_code == 200
    more = html(response).select("a[href*='/search']")[-1]["href"]
    assert more.startswith("http://localhost/search?")
    assert parse_qs(urlsplit(more).query) == {
        "service": ["hosting"],
        "_external": ["0"],
        "_method": ["POST"],
    }
