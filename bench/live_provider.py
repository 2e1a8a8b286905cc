"""A listed provider keeping its entry up to date on a running server, as issue 12 tries it.

    RACE_PASSWORD=... PYTHONPATH=. .venv/bin/python -m bench.live_provider \
        --base http://127.0.0.1:5077 --moderator EMAIL [--lang en]

Asks for an edit link with a seeded provider's private email (the seed's <slug>@example.org)
and reads it from instance/mail; changes the city, then opens the link again (it must show
the pending change) and changes the postcode; a moderator approves; the public page must show
both. Then runs `flask send-reminders`, opens the dashboard (its history), and counts the
result cards of every /search page that carry the "to be verified" badge. Exits 1 when one
step does not hold.
"""

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlencode

from bench.live_kills import login
from bench.visitor import Client, decide, email_body, form_fields

ROOT = Path(__file__).resolve().parent.parent
CITIES = ("Douarnenez-sur-Test", "Lannion-sur-Test")


def edit(client: Client, path: str, **changes) -> tuple[int, str]:
    _s, _h, page = client.send("GET", path)
    fields = [(k, changes.get(k, v)) for k, v in form_fields(page)]
    status, _headers, _b = client.send("POST", path, body=urlencode(fields))
    return status, page


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", default="http://127.0.0.1:5077")
    parser.add_argument("--moderator", required=True)
    parser.add_argument("--lang", default="fr")
    parser.add_argument("--mail-dir", default=str(ROOT / "instance/mail"), type=Path)
    args = parser.parse_args()
    problems, lang = [], f"lang={args.lang}"
    visitor = Client(args.base)
    visitor.send("GET", f"/?{lang}")
    _s, _h, body = visitor.send("GET", "/api/v1/providers?sort=name")
    slugs = re.findall(r'"url":\s*"[^"]*/providers/([a-z0-9-]+)"', body)
    slug = slugs[1 if args.lang == "fr" else 2]
    mail_dir = args.mail_dir
    before = set(mail_dir.glob("*.eml")) if mail_dir.is_dir() else set()
    form = {"csrf_token": visitor.csrf(f"/edit-link?{lang}"), "email": f"{slug}@example.org"}
    status = visitor.send("POST", f"/edit-link?{lang}", body=urlencode(form))[0]
    new = set(mail_dir.glob("*.eml")) - before
    links = [re.search(r"https?://[^/\s]+(/edit/[^\s]+)", email_body(e)) for e in new]
    links = [link.group(1) for link in links if link]
    print(f"edit link for {slug}@example.org: {status}, {len(new)} email(s), link {bool(links)}")
    if not links:
        return 1
    path = links[0]
    first, _page = edit(visitor, path, city=CITIES[args.lang != "fr"])
    second, page = edit(visitor, path, postcode="29100")
    shows_pending = CITIES[args.lang != "fr"] in page
    print(f"updates: city {first}, postcode {second}; the second shows the first: {shows_pending}")
    moderator = login(args.base, args.moderator)
    _s, _h, queue = moderator.send("GET", "/moderation/")
    item = max(int(n) for n in re.findall(r"/moderation/items/(\d+)", queue))
    approved = decide(moderator, item)[0]
    _s, _h, public = visitor.send("GET", f"/providers/{slug}?{lang}")
    both = CITIES[args.lang != "fr"] in public and "29100" in public
    print(f"approval {approved}; public page shows the city and the postcode: {both}")
    if not (shows_pending and both):
        problems.append("an update was lost")
    env = {**os.environ, "DIRECTORY_DEV": "1"}
    flask = [str(ROOT / ".venv/bin/flask"), "--app", "app", "send-reminders"]
    reminders = subprocess.run(flask, cwd=ROOT, env=env, capture_output=True, text=True)
    print(f"send-reminders: {reminders.stdout.strip() or reminders.stderr.strip()[-200:]}")
    _s, _h, dashboard = moderator.send("GET", f"/moderation/dashboard?{lang}")
    bars = len(re.findall(r"<tr", dashboard))
    print(f"dashboard: {_s}, {bars} table rows")
    cards = badges = 0
    for number in range(1, 50):
        status, _h, page = visitor.send("GET", f"/search?{lang}&page={number}")
        found = page.count('<article class="card">')
        if status != 200 or not found:
            break
        cards += found
        badges += page.count("badge-warning")
        if 'rel="next"' not in page:
            break  # a page past the last one shows the last one again
    print(f"search: {badges} of {cards} cards marked to be verified")
    if cards == 0 or badges * 5 >= cards:
        problems.append("too many cards to be verified")
    for line in problems:
        print("  " + line)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
