"""Requests per second through Caddy over HTTPS, for the search page and a static file: a
short loop of keep-alive connections from Python threads (wrk cannot give the TLS server name
of a local name that only curl-style resolving knows). The client runs on the same cores as
the stack, so these are floors of what the stack serves, not its ceiling."""

import threading
import time
from statistics import median
from urllib.parse import quote

from deploy.check.web import STATIC, Site

SECONDS = 4
CONNECTIONS = 4
QUERIES = ("nextcloud", "comptabilité", "hébergement", "site web", "formation", "mail")


def measure(site: Site) -> None:
    searches = [f"/search?q={quote(query)}" for query in QUERIES]
    for name, paths in (
        ("search page (page cache on, as deployed)", searches),
        ("static file", [STATIC + "?v=1"]),
    ):
        rate, latency, errors = _loop(site, paths)
        site.report.check(
            f"throughput through the proxy, {name}",
            errors == 0 and rate > 0,
            f"{rate:,.0f} requests/s, median {latency:.1f} ms, {CONNECTIONS} connections, "
            f"{SECONDS} s, {errors} errors",
        )


def _loop(site: Site, paths: list[str]) -> tuple[float, float, int]:
    durations: list[float] = []
    errors = [0]
    lock = threading.Lock()
    # Warm-up: each worker's searcher open, each page once in the cache.
    warm = site.client()
    for path in paths * 4:
        warm.get(path)
    warm.close()
    deadline = time.monotonic() + SECONDS

    def visitor(offset: int) -> None:
        client = site.client()
        mine, bad, index = [], 0, offset
        while time.monotonic() < deadline:
            start = time.perf_counter()
            status = client.get(paths[index % len(paths)]).status
            mine.append(time.perf_counter() - start)
            bad += status != 200
            index += 1
        client.close()
        with lock:
            durations.extend(mine)
            errors[0] += bad

    threads = [threading.Thread(target=visitor, args=(n,)) for n in range(CONNECTIONS)]
    begun = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - begun
    return len(durations) / elapsed, median(durations) * 1000 if durations else 0, errors[0]
