"""`python -m bench.lighthouse` (or `make lighthouse`): Lighthouse's four scores and LCP, CLS
and TBT for the home page, results with filters, a provider page, the application form, the
"Find help" questionnaire (first step, the tools step, its results), the request form and the
report form, in mobile and desktop modes, on a fresh seeded server this command starts and
stops, as `make run` does but with the minified stylesheet production serves.
LIGHTHOUSE_PAGES=help,report runs only the pages it names.

Lighthouse is the one pinned in package.json (node_modules/.bin/lighthouse), run headless in
Debian's Chromium (CHROME_PATH, /usr/bin/chromium by default). A page can score differently
from one run to the next (a layout shift depends on when a script starts), so each page is
run LIGHTHOUSE_RUNS times (2 by default) and the table shows the worst of its runs. What cost
points outside performance is listed on standard error.
"""

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from tools import minify_css

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
# {slug}: the first provider of the API's list.
PAGES = (
    ("home", "/"),
    ("results", "/search?q=formation&region=53"),
    ("provider", "/providers/{slug}"),
    ("apply", "/apply"),
    ("help", "/help/"),
    ("help-step", "/help/tools?want=leave"),
    ("help-results", "/help/results?want=leave&tool=Zoom&remote=1"),
    ("request", "/requests/new?provider={slug}&want=leave&tool=Zoom&remote=1"),
    ("report", "/providers/{slug}/report"),
)
MODES = ("mobile", "desktop")


def flask(env: dict, *args: str, **kwargs) -> subprocess.Popen | subprocess.CompletedProcess:
    command = [str(ROOT / ".venv" / "bin" / "flask"), "--app", "app", *args]
    if args[0] == "run":
        return subprocess.Popen(command, cwd=ROOT, env=env, **kwargs)
    return subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True)


def start_server(workdir: Path, port: int) -> subprocess.Popen:
    """A fresh database, index and mail folder in `workdir`, seeded, served by `flask run`
    as `make run` does, on `port`, which must be free: otherwise another server (another
    bench's, on a shared machine) would be measured instead."""
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", port)) == 0:
            raise SystemExit(f"port {port} is taken: set LIGHTHOUSE_PORT to a free one")
    env = {
        **os.environ,
        "DIRECTORY_DEV": "1",
        "PUBLIC_URL": f"http://127.0.0.1:{port}",
        "DATABASE_URL": f"sqlite:///{workdir / 'directory.sqlite3'}",
        "SEARCH_INDEX_DIR": str(workdir / "index"),
        "LOGO_DIR": str(workdir / "logos"),
        "MAIL_OUTBOX_DIR": str(workdir / "mail"),
        "SEARCH_REBUILD_ON_START": "0",
        # What production serves: the minified stylesheet (built just before).
        "MINIFIED_CSS": "1",
    }
    minify_css.build()
    flask(env, "init-db")
    flask(env, "seed", "--if-empty")
    flask(env, "reindex", "--if-needed")
    log = (workdir / "server.log").open("wb")
    server = flask(env, "run", "--port", str(port), stdout=log, stderr=subprocess.STDOUT)
    for _ in range(300):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return server
        except OSError:
            if server.poll() is not None:
                break
            time.sleep(0.1)
    server.terminate()
    raise SystemExit(f"the server did not start: see {workdir / 'server.log'}")


def first_slug(base: str) -> str:
    with urllib.request.urlopen(f"{base}/api/v1/providers?per_page=1", timeout=10) as answer:
        return json.load(answer)["items"][0]["id"]


def chosen_pages() -> tuple[tuple[str, str], ...]:
    """PAGES, or those LIGHTHOUSE_PAGES names (comma-separated: "help,report")."""
    names = [n.strip() for n in os.environ.get("LIGHTHOUSE_PAGES", "").split(",") if n.strip()]
    unknown = set(names) - {name for name, _ in PAGES}
    if unknown:
        raise SystemExit(f"unknown pages in LIGHTHOUSE_PAGES: {', '.join(sorted(unknown))}")
    return tuple(page for page in PAGES if not names or page[0] in names)


def lighthouse(url: str, mode: str, output: Path) -> dict:
    """One Lighthouse run: the report's JSON."""
    command = [
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={output}",
        f"--only-categories={','.join(CATEGORIES)}",
        "--chrome-flags=--headless=new --no-sandbox",
    ]
    if mode == "desktop":
        command.append("--preset=desktop")
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    # Lighthouse sometimes fails to record a trace ("NO_NAVSTART: ... Please run Lighthouse
    # again"), once in about forty runs here: a second attempt, before giving up.
    for _attempt in range(2):
        run = subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        if run.returncode == 0:
            return json.loads(output.read_text())
    raise SystemExit(f"Lighthouse failed on {url} ({mode}):\n{run.stderr.decode()[-2000:]}")


def figures(report: dict) -> dict:
    audits = report["audits"]
    scores = {c: round((report["categories"][c]["score"] or 0) * 100) for c in CATEGORIES}
    return {
        **scores,
        "lcp": audits["largest-contentful-paint"]["numericValue"],
        "cls": audits["cumulative-layout-shift"]["numericValue"],
        "tbt": audits["total-blocking-time"]["numericValue"],
    }


def lost_points(report: dict) -> list[str]:
    """The audits that cost points in the categories other than performance."""
    lost = set()
    for category in CATEGORIES[1:]:
        for ref in report["categories"][category]["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref["weight"] > 0 and audit["score"] is not None and audit["score"] < 1:
                lost.add(f"{category}: {ref['id']}")
    return sorted(lost)


def worst(runs: list[dict]) -> dict:
    return {
        **{c: min(r[c] for r in runs) for c in CATEGORIES},
        **{m: max(r[m] for r in runs) for m in ("lcp", "cls", "tbt")},
    }


def table(rows: list[tuple[str, str, dict]], runs: int) -> str:
    lines = [
        f"Worst of {runs} runs per page and mode:",
        "",
        "| page | mode | performance | accessibility | best practices | SEO | LCP, s | CLS "
        "| TBT, ms |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for page, mode, f in rows:
        lines.append(
            f"| {page} | {mode} | {f['performance']} | {f['accessibility']} "
            f"| {f['best-practices']} | {f['seo']} | {f['lcp'] / 1000:.1f} | {f['cls']:.3f} "
            f"| {f['tbt']:.0f} |"
        )
    return "\n".join(lines)


def main() -> None:
    if not LIGHTHOUSE.exists():
        raise SystemExit(f"{LIGHTHOUSE} is missing: run `npm ci` (make browser-deps)")
    port = int(os.environ.get("LIGHTHOUSE_PORT", "5097"))
    runs = int(os.environ.get("LIGHTHOUSE_RUNS", "2"))
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory(prefix="lighthouse-") as folder:
        workdir = Path(folder)
        server = start_server(workdir, port)
        try:
            rows = []
            slug = first_slug(base)
            for name, path in chosen_pages():
                url = base + path.format(slug=slug)
                for mode in MODES:
                    reports = [
                        lighthouse(url, mode, workdir / f"{name}-{mode}-{run}.json")
                        for run in range(runs)
                    ]
                    rows.append((name, mode, worst([figures(r) for r in reports])))
                    lost = sorted({item for r in reports for item in lost_points(r)})
                    print(f"{name} {mode}: {', '.join(lost) or 'no point lost'}", file=sys.stderr)
        finally:
            if server.poll() is not None:
                log = (workdir / "server.log").read_text(errors="replace")
                print(f"the server stopped early:\n{log[-2000:]}", file=sys.stderr)
            server.terminate()
            server.wait(timeout=10)
    print(table(rows, runs))


if __name__ == "__main__":
    main()
