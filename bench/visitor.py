"""A visitor of a running server over real HTTP, for the bench's attacks from outside: a
cookie jar and raw requests (any path, any Host), the forms of a page as a browser would send
them, and the emails the server wrote."""

import contextlib
import email
import email.policy
import html
import http.client
import re
from pathlib import Path
from urllib.parse import urlencode, urlsplit


class Client:
    """One visitor: a cookie jar and raw HTTP/1.1 requests (no redirect followed)."""

    def __init__(self, base: str):
        parts = urlsplit(base)
        if parts.hostname not in ("127.0.0.1", "localhost", "::1"):
            raise SystemExit("bench.attack only attacks a server on loopback")
        self.host, self.port, self.netloc = parts.hostname, parts.port or 80, parts.netloc
        self.cookies: dict[str, str] = {}

    def send(self, method: str, path: str, headers=None, body: str | None = None):
        headers = dict(headers or {})
        connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
        try:
            connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
            connection.putheader("Host", headers.pop("Host", self.netloc))
            if self.cookies and "Cookie" not in headers:
                headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            if body is not None:
                headers["Content-Type"] = "application/x-www-form-urlencoded"
                headers["Content-Length"] = str(len(body.encode()))
            for name, value in headers.items():
                connection.putheader(name, value.encode("latin-1", "replace"))
            # The server may answer (414, 413) before reading the whole body.
            with contextlib.suppress(BrokenPipeError):
                connection.endheaders(body.encode() if body is not None else None)
            response = connection.getresponse()
            data = response.read().decode("utf-8", "replace")
            for value in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
            return response.status, response.headers, data
        except (OSError, http.client.HTTPException) as error:
            return f"error {type(error).__name__}", {}, ""
        finally:
            connection.close()

    def csrf(self, path: str) -> str:
        _status, _headers, body = self.send("GET", path)
        found = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', body)
        return found.group(1) if found else ""


def email_body(eml: Path) -> str:
    """The text of an .eml file's body, decoded (quoted-printable lines rejoined)."""
    message = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
    parts = message.walk()
    return "\n".join(p.get_content() for p in parts if p.get_content_type() == "text/plain")


def email_text(eml: Path) -> str:
    """The whole of an .eml file: its body decoded, then the message as stored."""
    return email_body(eml) + "\n" + eml.read_text("utf-8", "replace")


def form_fields(page: str, field: str = "city") -> list[tuple[str, str]]:
    """What a browser would send for the edit form as it is shown (text, checked boxes,
    selected radios, textareas)."""
    forms = re.findall(r"<form.*?</form>", page, re.S)
    form = next((f for f in forms if f'name="{field}"' in f), "")
    fields = []
    for tag in re.findall(r"<input[^>]*>", form):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        kind = re.search(r'type="([^"]+)"', tag)
        if not name or (kind and kind.group(1) in ("checkbox", "radio") and "checked" not in tag):
            continue
        if kind and kind.group(1) == "file":
            continue
        fields.append((name.group(1), html.unescape(value.group(1) if value else "")))
    for name, text in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', form, re.S):
        fields.append((name, html.unescape(text.lstrip("\n"))))
    return fields


# A valid application, to which each hostile value is given one field at a time.
APPLY_FORM = {
    "name": "Les Claviers de l'Attaque",
    "kind": "association",
    "pitch_fr": "Hébergement de services libres pour les associations du quartier.",
    "description_fr": "Nous hébergeons Nextcloud et formons les bénévoles, à Rennes.",
    "website": "https://claviers-attaque.example.org",
    "public_email": "bonjour@claviers-attaque.example.org",
    "city": "Rennes",
    "postcode": "35000",
    "services": "hosting",
    "work_mode": "both",
    "price_models": "free",
    "audiences": "small_associations",
    "languages": "fr",
    "regions": "53",
    "contact_email": "attaque@example.org",
    "charter": "y",
}


def hidden(page: str, *names: str) -> dict:
    """The values of the page's hidden fields `names` (the first form that has each)."""
    found = {}
    for name in names:
        match = re.search(rf'name="{name}" type="hidden" value="([^"]*)"', page)
        found[name] = html.unescape(match.group(1)) if match else ""
    return found


def moderator(base: str, address: str, password: str) -> Client:
    """A moderator's session, logged in (a SystemExit when the login is refused)."""
    client = Client(base)
    body = {"csrf_token": client.csrf("/login"), "email": address, "password": password}
    status, headers, page = client.send("POST", "/login", body=urlencode(body))
    if status != 302 or "/login" in (headers.get("Location") or ""):
        said = re.findall(r'id="[a-z_]+-error"[^>]*>\s*(?:<span>)?([^<]+)', page)
        raise SystemExit(f"the login of {address} answered {status}: {said}")
    return client


def decide(client: Client, item: int, decision: str = "approve", message: str = "", barrier=None):
    """Opens a queue item and posts a decision on it as shown (its CSRF token and version),
    after `barrier` when given, so that two sessions post at the same moment. Posts nothing
    when the page has no decision form."""
    _s, _h, page = client.send("GET", f"/moderation/items/{item}")
    form = hidden(page, "csrf_token", "version")
    if decision != "approve":
        form["message"] = message or "Merci de préciser vos tarifs."
    if barrier is not None:
        barrier.wait()
    if not form["version"]:
        return "no decision form", {}, ""  # already decided, or the server is down
    return client.send("POST", f"/moderation/items/{item}/{decision}", body=urlencode(form))


def application(base: str, name: str) -> int | str:
    """Applies once through /apply with the valid application above, named `name`; returns
    the answer's status."""
    client = Client(base)
    _s, _h, page = client.send("GET", "/apply")
    form = {**APPLY_FORM, **hidden(page, "csrf_token", "submission_key"), "name": name}
    form["contact_email"] = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") + "@example.org"
    return client.send("POST", "/apply", body=urlencode(form))[0]
