"""Every absolute link comes from PUBLIC_URL, never from the request's Host header, and a
Host that is not trusted gets a clean 400."""

import json
import re

import pytest

from directory import create_app
from directory.config import TestConfig
from tests.conftest import csrf_token, html, make_app
from tests.factories import make_provider

PUBLIC = "https://annuaire.example.org"
ABSOLUTE = re.compile(r"https?://[^\s\"'<>]+")


@pytest.fixture
def app(tmp_path):
    """An app whose public address differs from the Host the client sends."""
    app = make_app(tmp_path, PUBLIC_URL=PUBLIC, TRUSTED_HOSTS=["localhost", "alias.example"])
    with app.app_context():
        make_provider(slug="acme", regions=["53"], contact_email="owner@private.example.net")
    yield app
    app.extensions["directory.search"].index.close()


def _own_links(body: str) -> list[str]:
    """Absolute links of the body that point at this site (not at a provider's website,
    schema.org or a namespace)."""
    foreign = ("provider-", "schema.org", "www.w3.org", "www.sitemaps.org", "etalab", "a9.com")
    return [url for url in ABSOLUTE.findall(body) if not any(f in url for f in foreign)]


@pytest.mark.parametrize(
    "path",
    [
        "/sitemap.xml",
        "/feeds/providers.atom?service=hosting",
        "/embed?service=hosting",
        "/providers/acme",
        "/api/openapi.json",
        "/api/v1/providers",
        "/export/providers.json",
        "/opensearch.xml",
        "/about",
    ],
)
def test_absolute_links_come_from_public_url_whatever_the_host(client, path):
    response = client.get(path, headers={"Host": "alias.example"})
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "alias.example" not in body
    links = _own_links(body)
    assert links, "no absolute link to check"
    assert all(link.startswith(PUBLIC + "/") or link == PUBLIC for link in links), links


def test_the_edit_link_email_points_at_public_url(client, smtp):
    headers = {"Host": "alias.example", "X-Forwarded-Host": "evil.example"}
    form = html(client.get("/edit-link", headers=headers))
    token = form.select_one("input[name=csrf_token]")["value"]
    response = client.post(
        "/edit-link",
        data={"email": "owner@private.example.net", "csrf_token": token},
        headers=headers,
    )
    assert response.status_code == 200
    body = smtp.last().get_body(("plain",)).get_content()
    links = ABSOLUTE.findall(body)
    assert links and all(link.startswith(f"{PUBLIC}/") for link in links), body


@pytest.mark.parametrize(
    "host", ["evil.example", "evil.example:80", "a" * 5000, "a" * 5000 + ".example", "[::1"]
)
def test_a_host_that_is_not_trusted_gets_a_clean_400(client, smtp, host):
    token = csrf_token(client, "/edit-link")
    for method, path, data in [
        ("GET", "/", None),
        ("GET", "/providers/acme", None),
        ("GET", "/sitemap.xml", None),
        ("GET", "/api/v1/providers", None),
        ("POST", "/edit-link", {"email": "owner@private.example.net", "csrf_token": token}),
    ]:
        response = client.open(path, method=method, data=data, headers={"Host": host})
        assert response.status_code == 400, (path, host)
        assert host not in response.get_data(as_text=True)
    assert smtp.messages == []


def test_the_error_page_of_a_foreign_host_links_to_the_public_site(client):
    response = client.get("/about", headers={"Host": "evil.example"})
    page = html(response)
    assert response.status_code == 400
    assert page.select_one("h1") is not None
    hrefs = [a["href"] for a in page.select("a[href], link[href]")]
    assert hrefs and not [href for href in hrefs if "evil.example" in href]


def test_a_redirect_never_names_the_requested_host(client):
    response = client.get("/moderation", headers={"Host": "alias.example"})
    assert response.status_code in (301, 302, 308)
    assert "alias.example" not in response.headers["Location"]


def test_trusted_hosts_default_to_the_public_host(tmp_path):
    base = {k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()}
    production = {**base, "TESTING": False, "DEVELOPMENT": False, "TRUSTED_HOSTS": None}
    production["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{tmp_path / 'p.sqlite3'}"
    app = create_app({**production, "PUBLIC_URL": "https://annuaire.example.org:8443/dir"})
    assert app.config["TRUSTED_HOSTS"] == ["annuaire.example.org"]
    development = {**production, "DEVELOPMENT": True, "PUBLIC_URL": "http://127.0.0.1:8000"}
    assert set(create_app(development).config["TRUSTED_HOSTS"]) == {"127.0.0.1", "localhost"}


def test_links_keep_the_public_path_prefix(tmp_path):
    app = make_app(tmp_path, PUBLIC_URL="https://example.org/annuaire/", TRUSTED_HOSTS=None)
    with app.app_context():
        make_provider(slug="acme")
    response = app.test_client().get("/sitemap.xml")
    assert "https://example.org/annuaire/providers/acme" in response.get_data(as_text=True)
    spec = json.loads(app.test_client().get("/api/openapi.json").data)
    assert spec["servers"] == [{"url": "https://example.org/annuaire"}]
