"""Attack a running server from outside, as the security table says: every rule of the URL map
with hostile query strings, paths, headers and bodies, over real HTTP on loopback.

    PYTHONPATH=. .venv/bin/python -m bench.attack --base http://127.0.0.1:5077 \
        [--moderator EMAIL] [--mail-dir instance/mail]

Start the server first (`make reset && make run PORT=5077`); with `--moderator`, the password
is read from the environment variable ATTACK_PASSWORD and the moderator and admin areas are
attacked too, logged in. Prints the answers counted by status, every 5xx, every answer or
email that names the foreign host, and the check of an emailed edit link asked for with a
forged Host. A measurement: exits 1 when something does not hold, so it can gate a release.
Loopback only: it refuses any other address.
"""

import argparse
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from urllib.parse import quote, urlencode

from bench.visitor import APPLY_FORM, Client, email_body, email_text, form_fields

EVIL = "evil.example"
RESERVED = ("_anchor", "_scheme", "_method", "_external", "endpoint", "values", "lang", "next")
# Percent-encoded as sent: a NUL, invalid UTF-8, U+FFFF, a lone surrogate's bytes, 10 KB.
HOSTILE_VALUES = ("%00", "%FF%FE%C3", "%EF%BF%BF", "%ED%A0%80", "x" * 10_000)
HOSTILE_HEADERS = (
    {"Host": EVIL},
    {"Host": "a" * 5000},
    {"Host": "a" * 5000 + ".example"},
    {"X-Forwarded-Host": EVIL, "X-Forwarded-Proto": "gopher", "X-Forwarded-Port": "x"},
    {"X-Forwarded-For": "not an address, \x7f, ::::, 999.1.1.1"},
    {"Accept-Language": "fr;q=0.9, " * 2000 + "x-" + "a" * 3000},
    {"Cookie": "session=" + "%ff" * 500 + "; lang=\x7f; __Host-session=.x.y"},
)
HOSTILE_PATHS = (
    "/%00",
    "/%FF",
    "/%EF%BF%BF",
    "//evil.example/",
    "/..%2f..%2fetc%2fpasswd",
    "/static/..%2f..%2fapp.py",
    "/static/../../app.py",
    "/providers/%00",
    "/providers/%FF%FE",
    "/providers/" + "a" * 10_000,
    "/status/%00/amend",
    "/edit/%FF/remove",
    "/moderation/items/99999999999999999999999",
    "/moderation/items/-1/approve",
    "/admin/moderators/1/explode",
    "/providers/logos/..%2f..%2fdirectory.sqlite3",
    "/search?" + "&".join(f"dept={n}" for n in range(500)),
    "http://evil.example/",
    "http://evil.example/sitemap.xml",
    "*",
)
FIELDS = ("email", "password", "name", "city", "postcode", "website", "q", "contact_email")


class Tally:
    def __init__(self):
        self.statuses: Counter = Counter()
        self.failures: list[str] = []

    def record(self, label: str, answer) -> None:
        status, headers, body = answer
        self.statuses[status] += 1
        if not isinstance(status, int) or status >= 500:
            self.failures.append(f"{status} {label}")
        elif EVIL in body or EVIL in (headers.get("Location") or ""):
            self.failures.append(f"names {EVIL}: {label}")


def rules(root: Path) -> list[tuple[str, str, list[str]]]:
    """(endpoint, rule, methods) from `flask routes`, the app's own URL map."""
    env = {**os.environ, "DIRECTORY_DEV": "1", "SEARCH_REBUILD_ON_START": "0"}
    flask = [str(root / ".venv/bin/flask"), "--app", "app", "routes"]
    out = subprocess.run(flask, cwd=root, env=env, capture_output=True, text=True, check=True)
    found = []
    for line in out.stdout.splitlines()[2:]:
        endpoint, methods, rule = re.match(r"(\S+)\s+([A-Z, ]+?)\s+(/\S*)", line).groups()
        found.append((endpoint, rule, methods.replace(",", " ").split()))
    return found


def build(rule: str, values: dict) -> tuple[str, list[str]]:
    """The rule's path with sample values, and its variables' names."""
    names = []

    def fill(match):
        converter, name = match.group(1) or "", match.group(2)
        names.append(name)
        if converter.startswith("any("):
            return converter[4:].split(",")[0].strip(" '")
        return str(values.get(f"{rule.split('/')[1]}/{name}", values.get(name, "1")))

    return re.sub(r"<(?:([^:>]+):)?([^>]+)>", fill, rule), names


def sample_values(client: Client, mail_dir: Path) -> dict:
    """Real values for the rules' variables: a published slug, a status token, a logo name."""
    _s, _h, body = client.send("GET", "/api/v1/providers")
    slug = re.search(r'"url":\s*"[^"]*/providers/([a-z0-9-]+)"', body)
    _s, _h, page = client.send("GET", "/")
    logo = re.search(r"/providers/logos/([^\"'?]+)", page)
    links = {"status": "x", "edit": "x"}
    for eml in sorted(mail_dir.glob("*.eml")) if mail_dir.is_dir() else []:
        for kind, token in re.findall(r"/(status|edit)/([A-Za-z0-9_.\-]+)", email_body(eml)):
            links[kind] = token
    return {
        "slug": slug.group(1) if slug else "x",
        "token": links["status"],
        "edit/token": links["edit"],
        "application_id": 1,
        "moderator_id": 1,
        "name": logo.group(1) if logo else "x.webp",
        "filename": "css/site.css",
    }


FORMS = {
    "/apply": "name",
    "/edit-link": "email",
    "/login": "password",
    "/edit/{edit/token}": "city",
    "/status/{token}/amend": "city",
    "/providers/{slug}/contact": "body",
    "/requests/new?provider={slug}&want=hosting&region=53": "body",
    "/providers/{slug}/report": "reason",
}
# A contact message as an association writes it, so that each hostile value meets an
# otherwise valid form.
CONTACT_FORM = {
    "sender_name": "Les Claviers de l'Attaque",
    "sender_email": "bonjour@claviers-attaque.example.org",
    "audience": "small_associations",
    "service": "hosting",
    "body": "Bonjour, nous cherchons un hébergement Nextcloud pour notre association.",
    "consent": "y",
    "nickname": "",
}

# A report as a visitor writes it.
REPORT_FORM = {
    "reason": "wrong_information",
    "body": "Le numéro de téléphone ne répond plus.",
    "email": "voisin@claviers-attaque.example.org",
    "nickname": "",
}


def attack_forms(client: Client, tally: Tally, values: dict) -> None:
    """Each form as a browser fills it (the application form filled in), then each field in
    turn given each hostile value (and a line break, a formula, markup), with a valid CSRF
    token and a fresh submission key."""
    extra = ("%0D%0ABcc:%20v@x.org", "=HYPERLINK(%22http://attacker.test%22)", "%3Cscript%3E")
    for template, marker in FORMS.items():
        path = template.format_map(values)
        _s, _h, page = client.send("GET", path)
        fields = form_fields(page, marker)
        filled = {"/apply": APPLY_FORM, "/providers/{slug}/contact": CONTACT_FORM,
                  "/requests/new?provider={slug}&want=hosting&region=53": CONTACT_FORM,
                  "/providers/{slug}/report": REPORT_FORM}.get(template)  # fmt: skip
        if filled:
            fields = [(k, v) for k, v in fields if k in ("csrf_token", "submission_key")]
            fields += list(filled.items())
        print(f"form {template}: {len(fields)} fields")
        if not fields:
            continue
        for index, (name, _value) in enumerate(fields):
            if name in ("csrf_token", "submission_key"):
                continue
            for value in (*HOSTILE_VALUES, *extra):
                _s, _h, page = client.send("GET", path)
                fresh = dict(form_fields(page, marker))
                body = [
                    (k, fresh.get(k, v) if k in ("csrf_token", "submission_key") else v)
                    for k, v in fields
                ]
                encoded = "&".join(
                    f"{quote(k)}={value if i == index else quote(v)}"
                    for i, (k, v) in enumerate(body)
                )
                tally.record(
                    f"form {path} {name}={value[:12]}", client.send("POST", path, body=encoded)
                )


def query(names, value: str) -> str:
    return "&".join(f"{quote(name)}={value}" for name in names)


def attack_rules(client: Client, tally: Tally, routes, values, areas=None) -> None:
    for endpoint, rule, methods in routes:
        path, names = build(rule, values)
        if areas and not path.startswith(areas):
            continue
        if endpoint == "auth.logout" and areas:
            continue  # would end the session the rest of the pass needs
        names = [*RESERVED, *names, *FIELDS, "page", "service"]
        for method in (m for m in methods if m not in ("HEAD", "OPTIONS")):
            for value in HOSTILE_VALUES:
                label = f"{method} {endpoint} {value[:12]}"
                if method == "GET":
                    tally.record(label, client.send("GET", f"{path}?{query(names, value)}"))
                    continue
                for token in ("", client.csrf("/apply")):
                    body = f"csrf_token={token}&{query(names, value)}"
                    tally.record(
                        label, client.send(method, f"{path}?{query(names, value)}", body=body)
                    )
            for headers in HOSTILE_HEADERS:
                label = f"{method} {endpoint} {sorted(headers)} {len(str(headers))}"
                if method == "GET":
                    tally.record(label, client.send("GET", path, headers=headers))
                elif "Cookie" not in headers:
                    body = urlencode({"csrf_token": client.csrf("/apply")})
                    tally.record(label, client.send(method, path, headers=headers, body=body))


def forged_edit_link(base: str, tally: Tally, mail_dir: Path, values: dict) -> list[str]:
    """POST /edit-link with a listed provider's private email (the seed's <slug>@example.org),
    under a forged Host and then a forged X-Forwarded-Host: no email may link elsewhere than
    the server's own address."""
    problems = []
    email = f"{values['slug']}@example.org"
    for headers in ({"Host": EVIL}, {"X-Forwarded-Host": EVIL, "X-Forwarded-Proto": "https"}):
        client = Client(base)
        body = urlencode({"csrf_token": client.csrf("/edit-link"), "email": email})
        before = set(mail_dir.glob("*.eml"))
        answer = client.send("POST", "/edit-link", headers, body)
        tally.record(f"edit-link {headers}", answer)
        for eml in set(mail_dir.glob("*.eml")) - before:
            links = re.findall(r"https?://[^\s\"<>]+/edit/", email_text(eml))
            if not links or any(not link.startswith(base + "/edit/") for link in links):
                problems.append(f"{eml.name}: {links or 'no edit link'}")
        sent = len(set(mail_dir.glob("*.eml")) - before)
        print(f"edit link with {sorted(headers)}: {answer[0]}, {sent} email(s)")
    return problems


def login(base: str, address: str, tally: Tally) -> Client:
    """A moderator's session, logged in before the rest uses up the login rate limit, with
    a `next` that leads off the site (the answer must not follow it)."""
    moderator = Client(base)
    password = os.environ.get("ATTACK_PASSWORD", "")
    body = urlencode(
        {"csrf_token": moderator.csrf("/login"), "email": address, "password": password}
    )
    answer = moderator.send("POST", "/login?next=%2F%2Fevil.example%2F%2F..", body=body)
    tally.record("login next=//evil.example", answer)
    status, headers, _body = answer
    print(f"moderator login: {status} -> {headers.get('Location')}")
    return moderator


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", default="http://127.0.0.1:5077")
    parser.add_argument("--moderator", help="email of a moderator (password in ATTACK_PASSWORD)")
    parser.add_argument("--mail-dir", default="instance/mail", type=Path)
    args = parser.parse_args()
    root = Path(__file__).resolve().parent.parent
    mail_dir = args.mail_dir if args.mail_dir.is_absolute() else root / args.mail_dir
    routes, tally = rules(root), Tally()
    visitor = Client(args.base)
    values = sample_values(visitor, mail_dir)
    moderator = login(args.base, args.moderator, tally) if args.moderator else None
    problems = forged_edit_link(args.base, tally, mail_dir, values)
    values = sample_values(visitor, mail_dir)  # the edit link's email may bring a token
    # The forms first: the rules' POSTs ask for the removal of the entry of the edit link.
    attack_forms(visitor, tally, values)
    values = sample_values(visitor, mail_dir)  # the applications' emails bring a status token
    attack_rules(visitor, tally, routes, values)
    for path in HOSTILE_PATHS:
        tally.record(f"path {path[:40]}", visitor.send("GET", path))
        tally.record(f"path {path[:40]} evil", visitor.send("GET", path, {"Host": EVIL}))
    for method in ("TRACE", "CONNECT", "PROPFIND", "DELETE", "PUT", "PATCH"):
        tally.record(f"{method} /", visitor.send(method, "/"))
        tally.record(f"{method} /apply", visitor.send(method, "/apply"))
    if moderator:
        attack_rules(moderator, tally, routes, values, areas=("/moderation", "/admin", "/account"))
    emails = [e.name for e in mail_dir.glob("*.eml") if EVIL in email_text(e)]
    total = sum(tally.statuses.values())
    print(f"rules: {len(routes)}, requests: {total}")
    print(
        "by status: " + ", ".join(f"{s}: {n}" for s, n in sorted(tally.statuses.items(), key=str))
    )
    fives = sum(n for s, n in tally.statuses.items() if not isinstance(s, int) or s >= 500)
    named = len(tally.failures) - fives
    print(f"5xx or no answer: {fives}; naming {EVIL}: answers {named}, emails {len(emails)}")
    for line in tally.failures[:40] + problems + emails:
        print("  " + line)
    return 1 if tally.failures or problems or emails else 0


if __name__ == "__main__":
    sys.exit(main())
