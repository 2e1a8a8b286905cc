"""`python -m bench.after_update instance/bench/10000`: six searches on a fresh searcher,
again once warm, then after one provider's update (a new index segment, a new searcher), in
milliseconds: what a change costs the next visitors in one process."""

import sys
import time
from pathlib import Path

from bench.load import bench_app
from directory import search
from directory.extensions import db
from directory.search import SearchRequest
from directory.services import providers

SEARCHES = [
    SearchRequest(),
    SearchRequest(text="formation"),
    SearchRequest(text="hébergement nextcloud"),
    SearchRequest(text="site web", filters={"area": frozenset({"r:53"})}),
    SearchRequest(sort="updated"),
    SearchRequest(text="comptabilité"),
]


def _timings() -> list[float]:
    timings = []
    for request in SEARCHES:
        started = time.perf_counter()
        search.search(request)
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def main(workdir: Path) -> None:
    app = bench_app(workdir)
    with app.test_request_context():
        rows = [("fresh searcher", _timings()), ("warm", _timings())]
        provider = providers.get_many([5])[0]
        provider.description_fr += " (mise à jour)"
        db.session.commit()
        search.index_providers([provider])
        rows += [("after an update", _timings()), ("again", _timings())]
    for label, timings in rows:
        print(f"{label:16}" + " ".join(f"{ms:7.1f}" for ms in timings))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
