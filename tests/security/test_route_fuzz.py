"""Every rule of the URL map, anonymous and as an administrator, GET (and POST where
allowed) with url_for's reserved names and the route's own variables in the query string
and the body, hostile values and hostile headers: no answer is a 5xx, and no body names the
foreign host."""

from urllib.parse import quote

import pytest

from tests.conftest import PASSWORD, Auth, csrf_token, html, make_app
from tests.factories import make_provider
from tests.forms import application_form

EVIL = "evil.example"
RESERVED = ("_anchor", "_scheme", "_method", "_external", "endpoint", "values", "lang", "next")
# Raw percent-encoded values: a NUL, invalid UTF-8, U+FFFF, 10 KB, a lone surrogate's bytes.
HOSTILE_VALUES = {
    "nul": "%00",
    "invalid-utf8": "%ff%fe%c3",
    "uffff": "%EF%BF%BF",
    "10kb": "x" * 10_000,
    "surrogate": "%ED%A0%80",
}
HOSTILE_HEADERS = {
    "host": {"Host": EVIL},
    "long-host": {"Host": "a" * 5000},
    "long-host-label": {"Host": "a" * 5000 + ".example"},
    "forwarded-host": {"X-Forwarded-Host": EVIL, "X-Forwarded-Proto": "gopher"},
    "forwarded-for": {"X-Forwarded-For": "not an address, \x7f, ::::, 999.1.1.1"},
    "accept-language": {"Accept-Language": ("fr;q=0.9, " * 2000) + "x-" + "a" * 3000},
    "cookie": {"Cookie": "session=" + "%ff" * 500 + "; lang=\x7f; __Host-session=.x.y"},
}
MODERATOR_AREAS = ("/moderation", "/admin", "/account")


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """An app with a provider, an application, an admin, and the values of real routes."""
    app = make_app(tmp_path_factory.mktemp("route-fuzz"))
    with app.app_context():
        from directory.models import Role
        from directory.services import accounts

        make_provider(slug="acme", logo_filename=None)
        admin_id = accounts.create_moderator("admin@example.org", PASSWORD, Role.ADMIN).id
        other_id = accounts.create_moderator("other@example.org", PASSWORD).id
    client = app.test_client()
    applied = client.post("/apply", data=application_form(client))
    assert applied.status_code == 302
    status_link = html(client.get(applied.headers["Location"])).select_one("a[href^='/status/']")
    values = {
        "slug": "acme",
        "token": status_link["href"].rsplit("/", 1)[-1],
        "application_id": 1,
        "kind": "items",
        "item_id": 1,
        "testimonial_id": 1,
        "moderator_id": other_id,
        "decision": "approve",
        "action": "disable",
        "name": "a" * 24 + ".webp",
        "filename": "css/site.css",
        "state": "will_answer",
    }
    yield app, values, admin_id
    app.extensions["directory.search"].index.close()


def _paths(app, values):
    """(endpoint, path, methods) of every rule, built with real or sample values."""
    for rule in app.url_map.iter_rules():
        _domain, path = rule.build({arg: values[arg] for arg in rule.arguments})
        yield rule.endpoint, path, sorted(rule.methods - {"HEAD", "OPTIONS"}), rule.arguments


def _query(names, value: str) -> str:
    return "&".join(f"{quote(name)}={value}" for name in names)


def _check(client, failures, label, method, path, **kwargs) -> None:
    try:
        with client.open(path, method=method, **kwargs) as response:
            body = response.get_data(as_text=True)
    except Exception as error:  # an exception the app did not turn into a page
        failures.append((label, repr(error)[:120]))
        return
    if response.status_code >= 500:
        failures.append((label, response.status_code))
    elif EVIL in body or EVIL in response.headers.get("Location", ""):
        failures.append((label, "names the foreign host"))


def _fuzz(client, app, values, token, areas=None) -> tuple[int, list]:
    requests, failures = 0, []
    for endpoint, path, methods, arguments in _paths(app, values):
        if areas and not path.startswith(areas):
            continue
        if areas and endpoint == "auth.logout":
            continue  # would end the session the rest of the pass needs
        names = [*RESERVED, *arguments, "q", "page", "service"]
        for method in methods:
            for case, value in HOSTILE_VALUES.items():
                label = f"{method} {endpoint} {case}"
                if method == "GET":
                    _check(client, failures, label, method, f"{path}?{_query(names, value)}")
                else:
                    body = f"csrf_token={token}&{_query(names, value)}"
                    _check(
                        client,
                        failures,
                        label,
                        method,
                        f"{path}?{_query(names, value)}",
                        data=body,
                        content_type="application/x-www-form-urlencoded",
                    )
                requests += 1
            header_cases = HOSTILE_HEADERS if method == "GET" else {"host": {"Host": EVIL}}
            for case, headers in header_cases.items():
                label = f"{method} {endpoint} header {case}"
                data = {"csrf_token": token} if method != "GET" else None
                _check(client, failures, label, method, path, headers=headers, data=data)
                requests += 1
    return requests, failures


def test_no_route_answers_5xx_or_names_a_foreign_host(world):
    app, values, _admin_id = world
    anonymous = app.test_client()
    token = csrf_token(anonymous, "/apply")
    requests, failures = _fuzz(anonymous, app, values, token)

    admin = app.test_client()
    Auth(admin).login(email="admin@example.org")
    token = csrf_token(admin, "/moderation/")
    more, more_failures = _fuzz(admin, app, values, token, areas=MODERATOR_AREAS)
    assert failures + more_failures == []
    assert requests + more >= 600, requests + more
