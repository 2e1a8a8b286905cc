"""Two moderators deciding the same items at once on a running server, over real HTTP.

    RACE_PASSWORD=... PYTHONPATH=. .venv/bin/python -m bench.live_races \
        --base http://127.0.0.1:5077 --moderators a@example.org,b@example.org [--items 20]

Submits `--items` applications through /apply (raise APPLY_RATE_LIMIT for the server above
10), logs both moderators in (each its own cookie jar and CSRF token), then for each new item
opens it in both sessions and sends both decisions at the same moment from two threads
(approve against approve, reject, and ask for changes, in turn). Prints the answers by status,
and from the database (`--database`, a URL, read-only) the items decided more than once. Exits 1 on
a 5xx or a double decision.
"""

import argparse
import os
import sys
import threading
from collections import Counter
from urllib.parse import urlencode

from sqlalchemy import bindparam, create_engine, text
from sqlalchemy.pool import NullPool

from bench.visitor import APPLY_FORM, Client, application, decide, hidden, moderator

PAIRS = (("approve", "approve"), ("approve", "reject"), ("request-changes", "approve"))
DECISIONS = ("application.approved", "application.rejected", "application.changes_requested")


def apply(base: str, number: int, tag: str) -> None:
    status = application(base, f"Course {tag} {number}")
    if status != 302:
        raise SystemExit(f"/apply answered {status}")


def race(client: Client, item: int, decision: str, barrier, results: list) -> None:
    results.append(decide(client, item, decision, barrier=barrier)[0])


def double_submits(base: str, engine, name_sql: str, tries: int) -> tuple[int, Counter]:
    """The same form (one CSRF token, one submission key) posted three times at once, then
    once more, `tries` times: returns how many tries made more than one application."""
    extra, statuses = 0, Counter()
    for number in range(tries):
        client = Client(base)
        _s, _h, page = client.send("GET", "/apply")
        form = {**APPLY_FORM, **hidden(page, "csrf_token", "submission_key")}
        form["name"] = f"Double {os.urandom(3).hex()} {number}"
        barrier, answers = threading.Barrier(3), []

        def post(wait: bool, form=form, barrier=barrier, answers=answers, client=client) -> None:
            if wait:
                barrier.wait()
            answers.append(client.send("POST", "/apply", body=urlencode(form))[0])

        threads = [threading.Thread(target=post, args=(True,)) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        post(False)
        statuses.update(answers)
        with engine.connect() as database:
            made = database.scalar(
                text(f"SELECT count(*) FROM application WHERE {name_sql} = :name"),
                {"name": form["name"]},
            )
        extra += made > 1
    return extra, statuses


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", default="http://127.0.0.1:5077")
    parser.add_argument("--moderators", required=True, help="two emails, comma-separated")
    parser.add_argument("--items", type=int, default=20)
    parser.add_argument("--double-submits", type=int, default=0, help="tries of a triple post")
    parser.add_argument(
        "--database",
        default=os.environ.get("DATABASE_URL", "sqlite:///instance/directory.sqlite3"),
        help="the server's database URL (DATABASE_URL by default), read only",
    )
    args = parser.parse_args()
    tag = os.urandom(3).hex()
    for number in range(args.items):
        apply(args.base, number, tag)
    password = os.environ.get("RACE_PASSWORD", "")
    sessions = [moderator(args.base, address, password) for address in args.moderators.split(",")]
    engine = create_engine(args.database, poolclass=NullPool)
    name = (
        "data->>'name'" if engine.dialect.name == "postgresql" else "json_extract(data, '$.name')"
    )
    with engine.connect() as database:
        items = list(
            database.scalars(
                text(f"SELECT id FROM application WHERE {name} LIKE :tag ORDER BY id"),
                {"tag": f"Course {tag} %"},
            )
        )
    statuses: Counter = Counter()
    for index, item in enumerate(items):
        pair, barrier, results = PAIRS[index % len(PAIRS)], threading.Barrier(2), []
        threads = [
            threading.Thread(target=race, args=(client, item, decision, barrier, results))
            for client, decision in zip(sessions, pair, strict=True)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        statuses.update(results)
    with engine.connect() as database:
        decided = Counter(
            database.scalars(
                text("SELECT application_id FROM audit_entry WHERE action IN :actions").bindparams(
                    bindparam("actions", expanding=True)
                ),
                {"actions": list(DECISIONS)},
            )
        )
        published = database.scalar(
            text("SELECT count(*) FROM provider WHERE name LIKE :tag"), {"tag": f"Course {tag} %"}
        )
    doubles = sum(1 for item in items if decided[item] > 1)
    undecided = sum(1 for item in items if decided[item] == 0)
    fives = sum(n for s, n in statuses.items() if not isinstance(s, int) or s >= 500)
    print(f"items: {len(items)}, races: {len(items)}, decisions sent: {sum(statuses.values())}")
    print("by status: " + ", ".join(f"{s}: {n}" for s, n in sorted(statuses.items(), key=str)))
    print(f"5xx: {fives}; decided twice: {doubles}; undecided: {undecided}; published: {published}")
    doubled = 0
    if args.double_submits:
        doubled, posted = double_submits(args.base, engine, name, args.double_submits)
        counts = ", ".join(f"{s}: {n}" for s, n in sorted(posted.items(), key=str))
        print(f"triple posts of one form: {args.double_submits}, answers {counts};", end=" ")
        print(f"more than one application: {doubled}")
    return 1 if fives or doubles or undecided or doubled else 0


if __name__ == "__main__":
    sys.exit(main())
