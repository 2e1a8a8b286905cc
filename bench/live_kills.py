"""A server killed (SIGKILL) at random moments while a moderator approves items.

    PYTHONPATH=. .venv/bin/python -m bench.live_kills --moderator EMAIL [--kills 5] [--items 30]

Run in the project folder after `make db` (the server must NOT be running: this starts
`flask run` on --port itself, restarts it after each kill, and stops it at the end). The
password is read from RACE_PASSWORD. Applies `--items` times through /apply, then approves
them one after another from a thread while the main thread kills the server at a random
moment, `--kills` times. Then runs `flask send-outbox` and checks, from the database
(read-only) and over HTTP: every item is either pending or wholly approved (published
provider, audit entry, approval email sent and in the mail folder), and the search finds
every approved provider. Exits 1 when something does not hold.
"""

import argparse
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

from bench.live_races import apply
from bench.visitor import Client, decide, moderator

ROOT = Path(__file__).resolve().parent.parent


# Every server started, stopped at exit whatever happened.
SERVERS: list[subprocess.Popen] = []


def start(port: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DIRECTORY_DEV": "1",
        "PUBLIC_URL": f"http://127.0.0.1:{port}",
        "APPLY_RATE_LIMIT": "1000 per hour",
        "LOGIN_RATE_LIMIT": "1000 per hour",
        # bench.attack's failed logins from this same address must not lock this one out.
        "LOGIN_MAX_FAILURES_PER_ADDRESS": "1000",
    }
    command = [str(ROOT / ".venv/bin/flask"), "--app", "app", "run", "--port", str(port)]
    server = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    SERVERS.append(server)
    for _ in range(200):
        if Client(f"http://127.0.0.1:{port}").send("GET", "/healthz")[0] in (200, 503):
            return server
        time.sleep(0.1)
    raise SystemExit("the server did not start")


def login(base: str, address: str) -> Client:
    return moderator(base, address, os.environ.get("RACE_PASSWORD", ""))


def approve_all(client: Client, items: list[int], answers: list, stop: threading.Event) -> None:
    for item in items:
        if stop.is_set():
            return
        status = decide(client, item)[0]
        if status != "no decision form":
            answers.append(status)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=5077)
    parser.add_argument("--moderator", required=True)
    parser.add_argument("--kills", type=int, default=5)
    parser.add_argument("--items", type=int, default=30)
    args = parser.parse_args()
    base, tag = f"http://127.0.0.1:{args.port}", os.urandom(3).hex()
    server = start(args.port)
    for number in range(args.items):
        apply(base, number, tag)
    database = sqlite3.connect(f"file:{ROOT / 'instance/directory.sqlite3'}?mode=ro", uri=True)
    items = [
        row[0]
        for row in database.execute(
            "SELECT id FROM application WHERE json_extract(data, '$.name') LIKE ? ORDER BY id",
            (f"Course {tag} %",),
        )
    ]
    answers: list = []
    kills = 0
    while kills < args.kills:
        pending = [
            row[0]
            for row in database.execute(
                "SELECT id FROM application WHERE state = 'PENDING'"
                f" AND id IN ({','.join(map(str, items))})"
            )
        ]
        if not pending:
            break
        stop = threading.Event()
        worker = threading.Thread(
            target=approve_all, args=(login(base, args.moderator), pending, answers, stop)
        )
        worker.start()
        time.sleep(random.uniform(0.05, 0.6))
        server.send_signal(signal.SIGKILL)
        server.wait()
        kills += 1
        stop.set()
        worker.join()
        server = start(args.port)
    worker = threading.Thread(
        target=approve_all, args=(login(base, args.moderator), items, answers, threading.Event())
    )
    worker.start()
    worker.join()
    env = {**os.environ, "DIRECTORY_DEV": "1"}
    flask = [str(ROOT / ".venv/bin/flask"), "--app", "app", "send-outbox"]
    sent = subprocess.run(flask, cwd=ROOT, env=env, capture_output=True, text=True).stdout.strip()
    mails = "\n".join(
        path.read_text("utf-8", "replace") for path in (ROOT / "instance/mail").glob("*.eml")
    )
    problems, claimed, approved = [], [], 0
    for item in items:
        state, provider_id, name = database.execute(
            "SELECT state, provider_id, json_extract(data, '$.name') FROM application WHERE id = ?",
            (item,),
        ).fetchone()
        if state != "APPROVED":
            problems.append(f"{item}: {state}")
            continue
        approved += 1
        published = database.execute(
            "SELECT published FROM provider WHERE id = ?", (provider_id,)
        ).fetchone()
        audit = database.execute(
            "SELECT count(*) FROM audit_entry"
            " WHERE application_id = ? AND action = 'application.approved'",
            (item,),
        ).fetchone()[0]
        email = database.execute(
            "SELECT message_id, sent_at, claimed_at FROM outbox_message WHERE cause = ?",
            (f"application {item}: approved",),
        ).fetchall()
        if not published or not published[0] or audit != 1:
            problems.append(f"{item}: half approved (provider {published}, audit {audit})")
        if len(email) == 1 and email[0][1] is None and email[0][2]:
            written = "already written" if email[0][0] in mails else "not written"
            claimed.append(f"{item}: approval email claimed at {email[0][2]}, {written}")
        elif len(email) != 1 or email[0][1] is None or email[0][0] not in mails:
            problems.append(f"{item}: approval email {email}")
        found = Client(base).send("GET", f"/api/v1/providers?q={quote(name)}")
        if found[0] != 200 or name not in found[2]:
            problems.append(f"{item}: not found by the search ({found[0]})")
    server.send_signal(signal.SIGTERM)
    server.wait()
    answered = sum(1 for a in answers if isinstance(a, int))
    cut = len(answers) - answered
    print(f"kills: {kills}; approvals sent: {len(answers)}, answered: {answered}, cut: {cut}")
    print(f"statuses: {sorted(set(map(str, answers)))}; send-outbox: {sent!r}")
    print(f"items: {len(items)}, approved: {approved}, problems: {len(problems)}")
    # A sender killed after claiming an email: send-outbox takes it over after CLAIM_TIMEOUT
    # (and sends it again, with the same Message-ID, if it was written before the kill).
    print(f"emails left claimed by a killed server: {len(claimed)}")
    for line in problems[:20] + claimed:
        print("  " + line)
    return 1 if problems else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    finally:
        for started in SERVERS:
            if started.poll() is None:
                started.kill()
                started.wait()
