"""Throughput and memory under gunicorn: 2 workers on a loopback port, wrk as the load.

The search page is measured against /healthz, a trivial endpoint of the same app: that
ratio says how much of the ceiling the search itself costs. wrk cycles over the 100 queries,
so with the page cache on, every page after the warm-up is a cache hit: the search page is
measured a second time with the cache off.
"""

import os
import re
import shutil
import signal
import socket
import subprocess  # nosec B404: runs gunicorn and wrk, fixed arguments
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.load import bench_app
from bench.queries import Query, make_queries
from bench.timing import api_url

ROOT = Path(__file__).resolve().parent.parent
WORKERS = 2
DURATION_S = 10
CONNECTIONS = 16
# The page cache of the deployed configuration (Config.PAGE_CACHE_SIZE); the search page
# is also measured without it, which is what a page costs when it is not cached.
PAGE_CACHE_SIZE = 256
# Distinct search URLs cycled with the page cache on: more than it holds, each asked about
# once in a 10 s run, so that pages are built as for a long tail of searches.
DISTINCT_URLS = 1000


def wsgi(workdir: str, page_cache_size: int = 256):
    """gunicorn's entry point: 'bench.serve:wsgi("<workdir>", <page cache size>)'."""
    return bench_app(Path(workdir), PAGE_CACHE_SIZE=page_cache_size)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read()


def _workers(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [int(pid) for pid in children]


def _rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) / 1024


def _wrk(url: str, script: Path | None = None) -> float:
    return _wrk_run(url, script)[0]


# wrk's latency units, in milliseconds.
_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _wrk_run(url: str, script: Path | None = None) -> tuple[float, float]:
    """Requests per second and the 99th percentile of latency in ms (wrk --latency)."""
    command = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{DURATION_S}s", "--latency"]
    if script:
        command += ["-s", str(script)]
    output = subprocess.run(  # nosec B603
        [*command, url], capture_output=True, text=True, check=True
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p99 = re.search(r"^\s*99%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.MULTILINE)
    return rps, float(p99.group(1)) * _UNITS_MS[p99.group(2)] if p99 else float("nan")


def _lua(paths: list[str], folder: Path) -> Path:
    """A wrk script that cycles through these paths."""
    quoted = ", ".join(f'"{path}"' for path in paths)
    script = folder / "paths.lua"
    script.write_text(
        f"local paths = {{{quoted}}}\nlocal i = 0\n"
        "request = function()\n  i = i % #paths + 1\n"
        "  return wrk.format('GET', paths[i])\nend\n"
    )
    return script


def _wrk_paths(base: str, paths: list[str]) -> float:
    return _wrk_paths_run(base, paths)[0]


def _wrk_paths_run(base: str, paths: list[str]) -> tuple[float, float]:
    with tempfile.TemporaryDirectory() as folder:
        return _wrk_run(base, _lua(paths, Path(folder)))


@contextmanager
def _server(workdir: Path, queries: list[Query], page_cache_size: int) -> Iterator[tuple]:
    """A gunicorn master with warmed workers; yields its base URL and its pid."""
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    gunicorn = Path(sys.executable).with_name("gunicorn")
    app = f'bench.serve:wsgi("{workdir.resolve()}", {page_cache_size})'
    # The deployed settings (deploy/gunicorn.conf.py: each worker warmed, then frozen out of
    # the garbage collector), but no restart after max_requests within a measure.
    master = subprocess.Popen(  # nosec B603
        [str(gunicorn), "--config", str(ROOT / "deploy" / "gunicorn.conf.py"),
         "--workers", str(WORKERS), "--bind", f"127.0.0.1:{port}", "--max-requests", "0",
         "--log-level", "warning", app],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    try:
        for _ in range(300):
            try:
                _get(base + "/healthz")
                break
            except OSError:
                time.sleep(0.1)
        # Each worker gets its share of the varied queries: searcher open, caches warm.
        for query in queries * WORKERS:
            _get(base + query.url())
        yield base, master.pid
    finally:
        master.send_signal(signal.SIGTERM)
        master.wait(timeout=30)


def serve_figures(workdir: Path, queries: list[Query], slugs: list[str]) -> dict:
    """Requests per second for the search page (with the page cache, as deployed: the same
    100 queries, then 1,000 distinct ones; and without it), a provider's page, the API's
    search and /healthz, and RSS per warmed worker."""
    with _server(workdir, queries, PAGE_CACHE_SIZE) as (base, master):
        figures = {"rss_mb": max(_rss_mb(pid) for pid in _workers(master))}
        if shutil.which("wrk") is None:
            figures["error"] = "wrk not installed (apt-get install wrk)"
            return figures
        figures["search_rps"] = _wrk_paths(base, [query.url() for query in queries])
        figures["healthz_rps"] = _wrk(base + "/healthz")
        figures["ratio"] = figures["search_rps"] / figures["healthz_rps"]
        distinct = [query.url() for query in make_queries(DISTINCT_URLS, seed=11)]
        figures["search_distinct_rps"] = _wrk_paths(base, distinct)
        figures["ratio_distinct"] = figures["search_distinct_rps"] / figures["healthz_rps"]
        figures["rss_mb_after"] = max(_rss_mb(pid) for pid in _workers(master))
    with _server(workdir, queries, 0) as (base, _master):
        figures["search_uncached_rps"] = _wrk_paths(base, [query.url() for query in queries])
        figures["ratio_uncached"] = figures["search_uncached_rps"] / figures["healthz_rps"]
        figures["provider_rps"] = _wrk_paths(base, [f"/providers/{slug}" for slug in slugs])
        figures["ratio_provider"] = figures["provider_rps"] / figures["healthz_rps"]
        figures["api_rps"], figures["api_p99_ms"] = _wrk_paths_run(
            base, [api_url(query) for query in queries]
        )
        figures["ratio_api"] = figures["api_rps"] / figures["healthz_rps"]
    return figures
