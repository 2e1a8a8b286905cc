"""Headers on every route, and every moderator or admin route refusing who may not see it."""

import time
from pathlib import Path

import pytest

from tests.conftest import PASSWORD, html, make_app
from tests.factories import make_provider

PUBLIC_PREFIXES = (
    "/",
    "/search",
    "/about",
    "/charter",
    "/apply",
    "/status",
    "/edit",
    "/login",
    "/providers",
    "/requests",
    "/testimonials",
    "/api",
    "/export",
    "/feeds",
    "/sitemap.xml",
    "/opensearch.xml",
    "/embed",
    "/static",
)
MODERATOR_PREFIXES = ("/moderation", "/account", "/logout")
ADMIN_PREFIXES = ("/admin",)
SAMPLE_ARGS = {
    "slug": "x",
    "token": "x",
    "application_id": 1,
    "kind": "items",
    "item_id": 1,
    "testimonial_id": 1,
    "moderator_id": 1,
    "decision": "approve",
    "action": "disable",
    "name": "x.webp",
    "filename": "css/site.css",
    "state": "will_answer",
}


def _routes(app):
    """(path, methods) of every rule of the URL map, built with sample argument values."""
    adapter = app.url_map.bind("localhost")
    for rule in app.url_map.iter_rules():
        methods = rule.methods - {"HEAD", "OPTIONS"}
        values = {argument: SAMPLE_ARGS[argument] for argument in rule.arguments}
        yield adapter.build(rule.endpoint, values, method=sorted(methods)[0]), methods


def test_every_route_is_classified(app):
    for path, _methods in _routes(app):
        assert path.startswith(PUBLIC_PREFIXES + MODERATOR_PREFIXES + ADMIN_PREFIXES), path


def test_every_moderator_and_admin_route_refuses_anonymous_users(app, client):
    checked = 0
    for path, methods in _routes(app):
        if not path.startswith(MODERATOR_PREFIXES + ADMIN_PREFIXES):
            continue
        for method in methods:
            response = client.open(path, method=method, data={})
            assert response.status_code in (302, 400), (method, path)
            if response.status_code == 302:
                assert response.headers["Location"].startswith("/login"), (method, path)
            checked += 1
    assert checked >= 8


def test_every_admin_route_refuses_moderators(app, client, auth, moderator):
    auth.login()
    token = html(client.get("/moderation/")).select_one("input[name=csrf_token]")["value"]
    checked = 0
    for path, methods in _routes(app):
        if path.startswith(ADMIN_PREFIXES):
            for method in methods:
                response = client.open(path, method=method, data={"csrf_token": token})
                assert response.status_code == 403, (method, path)
                checked += 1
    assert checked >= 3


def test_security_headers_on_every_get_route(app, client):
    with app.app_context():
        make_provider(slug="x")
    for path, methods in _routes(app):
        if "GET" not in methods:
            continue
        response = client.get(path)
        response.close()  # static files are streamed from an open file
        headers = response.headers
        assert headers["X-Content-Type-Options"] == "nosniff", path
        assert headers["Referrer-Policy"] == "same-origin", path
        policy = headers["Content-Security-Policy"]
        for directive in ("object-src 'none'", "base-uri 'none'", "default-src 'self'"):
            assert directive in policy, path
        if not path.startswith("/embed"):
            assert "frame-ancestors 'none'" in policy, path
        assert "Strict-Transport-Security" not in headers, path


def test_hsts_over_https(client):
    response = client.get("/", base_url="https://localhost")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_the_json_ld_script_carries_the_nonce(app, client):
    with app.app_context():
        made = make_provider()
    response = client.get(f"/providers/{made.slug}")
    nonce = html(response).select_one('script[type="application/ld+json"]')["nonce"]
    assert f"'nonce-{nonce}'" in response.headers["Content-Security-Policy"]


def test_session_cookie_flags(client, auth, moderator):
    response = auth.login()
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_production_cookies_are_secure_and_host_prefixed(tmp_path):
    app = make_app(tmp_path, SECURE_COOKIES=True)
    client = app.test_client()
    client.get("/?lang=en", base_url="https://localhost")
    assert app.config["SESSION_COOKIE_NAME"] == "__Host-session"
    assert app.config["SESSION_COOKIE_SECURE"] is True


@pytest.mark.parametrize(
    ("setting", "age"), [("SESSION_IDLE_MINUTES", 31 * 60), ("SESSION_ABSOLUTE_HOURS", 13 * 3600)]
)
def test_sessions_expire(app, client, auth, moderator, setting, age):
    auth.login()
    with client.session_transaction() as session:
        if setting == "SESSION_IDLE_MINUTES":
            session["auth_seen"] = int(time.time()) - age
        else:
            session["auth_started"] = int(time.time()) - age
    assert client.get("/moderation/").status_code == 302


def test_login_starts_a_fresh_session(client, auth, moderator):
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    auth.login()
    with client.session_transaction() as session:
        assert "planted" not in session
    assert PASSWORD


def _stored_logo(app, name: str) -> None:
    folder = Path(app.config["LOGO_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(b"RIFF\x00\x00\x00\x00WEBP")


def _logo_status(client, name: str):
    with client.get(f"/providers/logos/{name}") as response:
        return response.status_code, response.cache_control


def test_only_the_logos_of_published_entries_are_public(app, client, auth, moderator):
    shown, withdrawn, proposed = (f"{c * 24}.webp" for c in "abc")
    for name in (shown, withdrawn, proposed):
        _stored_logo(app, name)
    with app.app_context():
        make_provider(logo_filename=shown)
        make_provider(logo_filename=withdrawn, published=False)
    codes = [_logo_status(client, name)[0] for name in (shown, withdrawn, proposed)]
    assert codes == [200, 404, 404]
    # Moderators see every stored logo: they judge the ones proposed in applications.
    auth.login()
    code, cache_control = _logo_status(client, proposed)
    assert code == 200
    assert cache_control.private


def test_every_405_names_the_allowed_methods(app, client):
    checked = 0
    for path, methods in _routes(app):
        refused = sorted({"GET", "POST", "PUT", "DELETE", "PATCH"} - methods)[0]
        response = client.open(path, method=refused)
        if response.status_code == 405:
            allowed = {m.strip() for m in response.headers.get("Allow", "").split(",")}
            assert methods <= allowed, (path, response.headers.get("Allow"))
            checked += 1
    assert checked >= 20
