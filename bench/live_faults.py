"""A search index damaged under a running server: segment files truncated, deleted or
overwritten (the table of contents kept), then the table of contents, then the whole folder;
then searches and an approval over HTTP.

    RACE_PASSWORD=... PYTHONPATH=. .venv/bin/python -m bench.live_faults \
        --base http://127.0.0.1:5077 --moderator EMAIL [--index instance/search-index]

For each kind of damage: the files are damaged, then /search, /, the API and an approval are
requested, and the approved entry must be found by the next search. Prints the answers by
status for each case and the request that first answered with the entry. Exits 1 on a 5xx
or an entry never found.
"""

import argparse
import os
import re
import shutil
import sys
from collections import Counter
from pathlib import Path
from urllib.parse import quote

from bench.live_kills import login
from bench.live_races import apply
from bench.visitor import Client, decide


def segments(index: Path) -> list[Path]:
    return sorted(p for p in index.iterdir() if p.is_file() and not p.name.endswith(".toc"))


def truncate_all(index: Path) -> None:
    for path in segments(index):
        path.write_bytes(b"")


def delete_all(index: Path) -> None:
    for path in segments(index):
        path.unlink()


def truncate_terms(index: Path) -> None:
    for path in segments(index):
        if path.suffix in (".trm", ".pst"):
            path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def garbage_stored(index: Path) -> None:
    for path in segments(index):
        if path.name.endswith("_stored.col") or path.suffix == ".col":
            path.write_bytes(os.urandom(max(path.stat().st_size, 16)))


def garbage_toc(index: Path) -> None:
    for path in index.glob("*.toc"):
        path.write_bytes(os.urandom(64))


def folder_deleted(index: Path) -> None:
    shutil.rmtree(index)


CASES = {
    "segments truncated": truncate_all,
    "segments deleted": delete_all,
    "terms and postings half truncated": truncate_terms,
    "columns overwritten with random bytes": garbage_stored,
    "table of contents overwritten with random bytes": garbage_toc,
    "whole folder deleted": folder_deleted,
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", default="http://127.0.0.1:5077")
    parser.add_argument("--moderator", required=True)
    parser.add_argument("--index", default="instance/search-index", type=Path)
    args = parser.parse_args()
    moderator, visitor, failed = login(args.base, args.moderator), Client(args.base), False
    for case, damage in CASES.items():
        tag = os.urandom(3).hex()
        apply(args.base, 0, tag)
        _s, _h, queue = moderator.send("GET", "/moderation/")
        item = max(int(n) for n in re.findall(r"/moderation/items/(\d+)", queue))
        damage(args.index)
        statuses: Counter = Counter()
        for path in (
            "/search?q=nextcloud",
            "/",
            "/api/v1/providers?q=rennes",
            "/feeds/providers.atom",
        ):
            statuses[visitor.send("GET", path)[0]] += 1
        statuses[decide(moderator, item)[0]] += 1
        found_after = None
        for attempt in range(1, 6):
            status, _h, body = visitor.send("GET", f"/search?q={quote('Course ' + tag)}")
            statuses[status] += 1
            if f"Course {tag}" in body:
                found_after = attempt
                break
        fives = sum(n for s, n in statuses.items() if not isinstance(s, int) or s >= 500)
        failed = failed or fives or not found_after
        counts = ", ".join(f"{s}: {n}" for s, n in sorted(statuses.items(), key=str))
        print(f"{case}: {counts}; approved entry found by search #{found_after}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
