"""`python -m bench` (or `make bench`): every figure at each size, then a table.

BENCH_SIZES=1000,10000 runs fewer sizes; data goes to instance/bench/<size>/ (never
committed); the table is printed and written to bench/results/latest.md.
"""

import os
import platform
import sys
import time
from pathlib import Path

import click

from bench import fts
from bench.approval import approval_figures
from bench.cold import cold_figures
from bench.load import bench_app, build
from bench.queries import make_queries
from bench.report import machine, markdown
from bench.serve import serve_figures
from bench.timing import provider_slugs, search_timings

ROOT = Path(__file__).resolve().parent.parent
QUERIES = 100


def run_size(n: int, queries) -> dict:
    workdir = ROOT / "instance" / "bench" / str(n)
    print(f"\n== {n} providers ({workdir})", file=sys.stderr)
    with click.progressbar(length=n, label="Indexing", file=sys.stderr) as bar:
        figures = {"n": n, "build": build(n, workdir, on_progress=bar.update)}
    print(f"   index built: {figures['build']['rate']:.0f} documents/s", file=sys.stderr)
    # Page cache off: (d) is what a page costs to build, not to fetch from the cache.
    app = bench_app(workdir, PAGE_CACHE_SIZE=0)
    figures["whoosh"] = search_timings(app, queries)
    print(f"   whoosh: {figures['whoosh']}", file=sys.stderr)
    started = time.perf_counter()
    connection = fts.build(app, workdir / "fts.sqlite3")
    figures["fts_build_s"] = time.perf_counter() - started
    figures["fts"] = fts.fts_timings(connection, queries)
    connection.close()
    print(f"   fts5: {figures['fts']}", file=sys.stderr)
    figures["approval"] = approval_figures(app)
    print(f"   approval: {figures['approval']}", file=sys.stderr)
    with app.app_context():
        slugs = provider_slugs(QUERIES)
    figures["serve"] = serve_figures(workdir, queries, slugs)
    print(f"   serve: {figures['serve']}", file=sys.stderr)
    figures["cold"] = cold_figures(workdir, app)
    print(f"   cold: {figures['cold']}", file=sys.stderr)
    return figures


def main() -> None:
    sizes = [int(s) for s in os.environ.get("BENCH_SIZES", "1000,10000,100000").split(",")]
    queries = make_queries(QUERIES)
    started = time.perf_counter()
    results = [run_size(n, queries) for n in sizes]
    duration = time.perf_counter() - started
    table = markdown(results, machine(), duration, platform.python_version())
    print(table)
    (ROOT / "bench" / "results").mkdir(exist_ok=True)
    (ROOT / "bench" / "results" / "latest.md").write_text(table)


if __name__ == "__main__":
    main()
