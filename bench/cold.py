"""The searches a visitor could find cold, over HTTP: gunicorn with deploy/gunicorn.conf.py
(whose hook warms each new worker) and the page cache off.

- fresh worker: the first requests of common searches once the server answers;
- new word: words no one searched before, each asked once;
- after an approval: an entry approved by another process on the same database, then
  common searches and the new entry's name.
"""

import os
import signal
import subprocess  # nosec B404: runs gunicorn, fixed arguments
import sys
import time
import urllib.parse
from pathlib import Path

from bench.approval import approve_new_entry
from bench.serve import _free_port, _get
from bench.timing import summary

ROOT = Path(__file__).resolve().parent.parent
WORKERS = 2
COMMON = ["/search", "/search?q=formation", "/search?q=h%C3%A9bergement", "/search?region=53"]
# Words of the generated texts that no warm-up searches (none is in a service's name).
NEW_WORDS = [
    "sauvegarde", "newsletter", "wiki", "mastodon", "bénévoles", "agenda", "sondage",
    "réparation", "cartographie", "podcast", "wordpress", "linux",
]  # fmt: skip


def _timed(url: str) -> float:
    started = time.perf_counter()
    _get(url)
    return (time.perf_counter() - started) * 1000


def cold_figures(workdir: Path, app) -> dict:
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    wsgi = f'bench.serve:wsgi("{workdir.resolve()}", 0)'
    master = subprocess.Popen(  # nosec B603
        [str(Path(sys.executable).with_name("gunicorn")), "--config",
         str(ROOT / "deploy" / "gunicorn.conf.py"), "--workers", str(WORKERS),
         "--bind", f"127.0.0.1:{port}", "--log-level", "warning", wsgi],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    try:
        started = time.perf_counter()
        for _ in range(1200):
            try:
                _get(base + "/healthz")
                break
            except OSError:
                time.sleep(0.1)
        ready_s = time.perf_counter() - started
        # Both workers have warmed before accepting; let the second finish its warm-up.
        time.sleep(1)
        fresh = [_timed(base + path) for path in COMMON * WORKERS]
        new_word = [_timed(f"{base}/search?q={urllib.parse.quote(w)}") for w in NEW_WORDS]
        after = []
        for _ in range(3):
            name_word = approve_new_entry(app)
            after += [_timed(base + path) for path in COMMON[1:] * WORKERS]
            after.append(_timed(f"{base}/search?q={name_word}"))
        return {
            "ready_s": ready_s,
            "raw": {"fresh": fresh, "new_word": new_word, "after": after},
            "fresh": summary(fresh),
            "new_word": summary(new_word),
            "after_approval": summary(after),
        }
    finally:
        master.send_signal(signal.SIGTERM)
        master.wait(timeout=60)
