"""The private contact email never appears in a public page, the search index or a log."""

import logging
from pathlib import Path

from sqlalchemy import select

from directory.extensions import db
from directory.models import Application, Provider
from tests.conftest import csrf_token, html
from tests.forms import application_form

SECRET = "secret.person@private.example.net"


def test_the_private_email_stays_private(app, client, auth, moderator, caplog):
    caplog.set_level(logging.DEBUG)
    client.post("/apply", data=application_form(client))
    auth.login()
    with app.app_context():
        application = db.session.scalar(select(Application))
    page = html(client.get(f"/moderation/items/{application.id}"))
    client.post(
        f"/moderation/items/{application.id}/approve",
        data={"csrf_token": page.select_one("input[name=csrf_token]")["value"], "version": "1"},
    )
    auth.logout()
    with app.app_context():
        slug = db.session.scalar(select(Provider.slug))
    public_pages = [
        "/api/v1/providers",
        f"/api/v1/providers/{slug}",
        "/export/providers.csv",
        "/export/providers.json",
        "/feeds/providers.atom",
        "/sitemap.xml",
        "/embed",
        "/",
        "/search",
        "/search?q=nextcloud",
        f"/providers/{slug}",
        f"/providers/{slug}?lang=en",
        "/about",
        "/charter",
    ]
    for path in public_pages:
        body = client.get(path).get_data(as_text=True)
        assert "secret.person" not in body, path
        assert "private.example.net" not in body, path
    for query in ("secret", "secret.person", "private.example.net"):
        count = html(client.get(f"/search?q={query}")).select_one("#results-count").get_text()
        assert count.split()[0] == "0", query
    index_bytes = b"".join(p.read_bytes() for p in Path(app.config["SEARCH_INDEX_DIR"]).iterdir())
    assert b"secret.person" not in index_bytes
    assert b"private.example" not in index_bytes
    assert SECRET not in caplog.text
    assert "secret.person" not in caplog.text
    for cookie in client._cookies.values():
        assert "secret" not in cookie.value


def test_the_edit_link_page_does_not_reveal_the_email(app, client):
    token = csrf_token(client, "/edit-link")
    body = client.post("/edit-link", data={"email": SECRET, "csrf_token": token}).get_data(
        as_text=True
    )
    assert SECRET not in body
