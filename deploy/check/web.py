"""What a visitor, an applicant and a moderator see through Caddy over HTTPS: pages and API,
compression and caching, hosts refused, rate limits per real client, an application approved
and its emails at the relay."""

import email
import email.policy
import gzip
import json
import re
import socket
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from bench.visitor import APPLY_FORM
from deploy.check.client import Client, hidden_fields
from deploy.check.report import Report
from deploy.check.stack import SITE, Stack
from directory.static_files import content_digest

STATIC = "/static/css/site.css"
MODERATOR = "moderation@example.org"
PASSWORD = "correct horse battery staple of the prod check"
APPLICANT = "Les Serveurs du Prod Check"
SLUG = "les-serveurs-du-prod-check"


@dataclass
class Site:
    stack: Stack
    report: Report
    port: int
    cafile: str
    app_port: int
    http_port: int

    def client(self, source: str = "127.0.0.1") -> Client:
        return Client(SITE, self.port, self.cafile, source)


def public_pages(site: Site) -> None:
    visitor = site.client()
    api = visitor.get("/api/v1/providers?per_page=5")
    payload = json.loads(api.body) if api.status == 200 else {}
    items = payload.get("items") or []
    slug = items[0]["id"] if items else "missing"
    paths = [
        "/", "/search?q=nextcloud", f"/providers/{slug}", "/apply", "/about", "/faq",
        "/legal", "/privacy", "/feeds/providers.atom", "/sitemap.xml", "/api/v1/taxonomy",
        f"/api/v1/providers/{slug}", "/api/openapi.json", "/export/providers.csv", "/healthz",
    ]  # fmt: skip
    answers = {path: visitor.get(path).status for path in paths}
    bad = {path: status for path, status in answers.items() if status != 200}
    site.report.check(
        "public pages and API through the proxy answer 200",
        api.status == 200 and items and not bad,
        f"{len(paths) + 1 - len(bad)} of {len(paths) + 1} URLs"
        + (f", not 200: {bad}" if bad else ""),
    )
    home = visitor.get("/")
    hsts = home.header("Strict-Transport-Security")
    site.report.check(
        "the app sees HTTPS through the proxy (X-Forwarded-Proto trusted)",
        "max-age" in hsts,
        f"Strict-Transport-Security: {hsts or 'missing'}",
    )
    redirect = _plain_http(site.http_port, "/search?q=x")
    site.report.check(
        "plain HTTP redirected to HTTPS",
        redirect.startswith(("HTTP/1.1 301", "HTTP/1.1 308")) and f"https://{SITE}" in redirect,
        redirect.splitlines()[0] if redirect else "no answer",
    )


def _without_nonces(page: bytes) -> bytes:
    return re.sub(rb'nonce="[^"]*"', b'nonce=""', page)


def compression_and_caching(site: Site) -> None:
    visitor = site.client()
    plain = visitor.get("/search?q=nextcloud")
    zipped = visitor.get("/search?q=nextcloud", {"Accept-Encoding": "gzip"})
    # The same page but for its CSP nonce, new on every answer.
    same = zipped.header("Content-Encoding") == "gzip" and _without_nonces(
        gzip.decompress(zipped.body)
    ) == _without_nonces(plain.body)
    site.report.check(
        "search page compressed (gzip)",
        same,
        f"{len(plain.body):,} B -> {len(zipped.body):,} B",
    )
    raw = visitor.get(STATIC)
    zstd = visitor.get(STATIC + "?v=1", {"Accept-Encoding": "zstd, gzip"})
    site.report.check(
        "static file compressed (zstd)",
        zstd.header("Content-Encoding") == "zstd" and len(zstd.body) < len(raw.body),
        f"{STATIC} {len(raw.body):,} B -> {len(zstd.body):,} B",
    )
    source = Path(__file__).resolve().parent.parent.parent / "static/css/site.css"
    versioned = zstd.header("Cache-Control")
    unversioned = raw.header("Cache-Control")
    site.report.check(
        "static file served by Caddy from the checkout, cached by version",
        raw.body == source.read_bytes()
        and versioned == "public, max-age=31536000, immutable"
        and unversioned == "no-cache"
        and raw.header("X-Content-Type-Options") == "nosniff",
        f"?v=...: {versioned!r}; without v: {unversioned!r}",
    )
    # The pages link the minified copy `make install` built, named by its own digest.
    linked = re.search(r'<link rel="stylesheet" href="([^"]+)"', visitor.get("/").text)
    href = linked.group(1) if linked else ""
    copy = source.with_name("site.min.css")
    minified = visitor.get(href, {"Accept-Encoding": "zstd, gzip"}) if href else None
    site.report.check(
        "pages link the minified stylesheet, served by Caddy under its digest",
        copy.is_file()
        and href == f"/static/css/site.min.css?v={content_digest(copy.read_bytes())}"
        and minified.status == 200
        and minified.header("Cache-Control") == "public, max-age=31536000, immutable",
        f"{href or 'no stylesheet link'}: {copy.stat().st_size if copy.is_file() else 0:,} B"
        + (f" -> {len(minified.body):,} B (zstd)" if minified else ""),
    )


def hosts(site: Site) -> None:
    visitor = site.client()
    forged = visitor.get("/", {"Host": "evil.example"})
    site.report.check("forged Host refused by Caddy", forged.status == 400, f"{forged.status}")
    direct = _plain_http(site.app_port, "/", host="evil.example")
    site.report.check(
        "forged Host refused by the app itself (TRUSTED_HOSTS, behind any proxy)",
        direct.startswith("HTTP/1.1 400"),
        direct.splitlines()[0] if direct else "no answer",
    )


def rate_limits(site: Site) -> None:
    """EDIT_LINK_RATE_LIMIT (5 per hour in the env file) counted per visitor address."""
    limit = int(site.stack.env.get("EDIT_LINK_RATE_LIMIT", "5 per hour").split()[0])
    first, second = site.client("127.0.0.2"), site.client("127.0.0.3")

    def ask(client: Client, headers: dict | None = None) -> int:
        form = {**hidden_fields(client.get("/edit-link").text), "email": "nobody@example.org"}
        return client.post("/edit-link", form, headers).status

    answers = [ask(first) for _ in range(limit + 1)]
    other = ask(second)
    forged = ask(first, {"X-Forwarded-For": "203.0.113.7"})
    site.report.check(
        "rate limit counted per real client",
        all(status != 429 for status in answers[:limit]) and answers[limit] == 429
        and other != 429 and forged == 429,
        f"127.0.0.2: {limit} accepted then {answers[limit]}; 127.0.0.3: {other}; "
        f"127.0.0.2 with a forged X-Forwarded-For: {forged}",
    )  # fmt: skip


def application_approved(site: Site) -> None:
    applicant = site.client("127.0.0.4")
    page = applicant.get("/apply").text
    contact = "prod-check@example.org"
    form = {**APPLY_FORM, **hidden_fields(page), "name": APPLICANT, "contact_email": contact}
    applied = applicant.post("/apply", form)
    site.report.check("application submitted", applied.status == 302, f"{applied.status}")

    moderator = site.client("127.0.0.5")
    login = hidden_fields(moderator.get("/login").text)
    logged = moderator.post("/login", {**login, "email": MODERATOR, "password": PASSWORD})
    queue = moderator.get("/moderation/")
    items = re.findall(r"/moderation/items/(\d+)", queue.text)
    site.report.check(
        "moderator logged in (account made with `flask create-moderator`)",
        logged.status == 302 and queue.status == 200 and bool(items),
        f"items waiting: {len(set(items))}",
    )
    item = max(map(int, items)) if items else 0
    decision = hidden_fields(moderator.get(f"/moderation/items/{item}").text)
    approved = moderator.post(f"/moderation/items/{item}/approve", decision)
    search = site.client().get("/search?q=" + quote(APPLICANT))
    site.report.check(
        "application approved, then found by the search",
        approved.status == 302 and f'/providers/{SLUG}"' in search.text,
        f"approve: {approved.status}; search: {search.status}",
    )
    said = site.stack.flask("send-outbox").strip()
    received = _received(site, contact)
    links = re.findall(r"https?://[^\s<>\"]+", "\n".join(received))
    site.report.check(
        "emails received by the SMTP relay, links from PUBLIC_URL",
        len(received) >= 2
        and links
        and all(link.startswith(site.stack.base_url) for link in links),
        f"{len(received)} emails to the applicant, {len(links)} links; send-outbox: {said}",
    )


def _received(site: Site, recipient: str) -> list[str]:
    """The text bodies of the emails the relay got for `recipient`."""
    bodies = []
    for recipients, content in site.stack.relay.messages:
        if recipient in recipients:
            message = email.message_from_bytes(content, policy=email.policy.default)
            bodies.append(message.get_body(("plain",)).get_content())
    return bodies


def _plain_http(port: int, path: str, host: str = SITE) -> str:
    """The status line and headers of a plain HTTP/1.1 request on loopback."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
            request = f"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
            connection.sendall(request.encode())
            data = b""
            while b"\r\n\r\n" not in data and (chunk := connection.recv(4096)):
                data += chunk
    except OSError:
        return ""
    return data.decode("latin-1").split("\r\n\r\n")[0]
