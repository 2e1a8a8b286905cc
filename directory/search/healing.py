"""Rebuilding a damaged index from the database: once, in one process, while others wait.

Whatever a damaged folder makes whoosh raise (truncated or missing segment files, a garbage
table of contents, a folder gone, a disk error), the search package's functions call
`Healer.heal`: one thread of this process rebuilds the index from the database into a fresh
folder and swaps it in, under a lock across processes. The request that found the damage
waits for it a few seconds (a small directory heals within that request); other requests of
this process wait for the same rebuild, and other processes, finding the lock taken, answer
503 at once instead of rebuilding again.
"""

import threading
from collections.abc import Callable, Iterable

from flask import Flask

from directory.search.index import SearchIndex

# How long the request that found the index broken waits for its rebuild, in seconds: long
# enough for a directory of a few thousand providers, short of a server's request timeout.
HEAL_WAIT = 5.0

# Gives the newest change id of the database's log and every published provider to index.
Source = Callable[[], tuple[int, Iterable]]


class Healer:
    """Runs at most one rebuild at a time in this process, in a thread with an app context."""

    def __init__(self, index: SearchIndex, on_rebuilt: Callable[[int], None]):
        self.index = index
        self.source: Source | None = None
        self._on_rebuilt = on_rebuilt
        self._lock = threading.Lock()
        self._running: _Run | None = None

    def heal(self, app: Flask, seen_stamp: str | None, wait: float = HEAL_WAIT) -> bool:
        """Rebuilds the index found broken with build stamp `seen_stamp` (or waits for the
        rebuild under way in this process) for up to `wait` seconds. True if the index was
        rebuilt meanwhile; False if it is still being rebuilt here or in another process, or
        if no source of providers was given (then the caller answers 503)."""
        if self.source is None:
            return False
        with self._lock:
            run = self._running
            if run is None:
                run = self._running = _Run()
                threading.Thread(
                    target=self._run, args=(app, seen_stamp, run), name="index-heal", daemon=True
                ).start()
        return run.done.wait(wait) and run.healed

    def _run(self, app: Flask, seen_stamp: str | None, run: "_Run") -> None:
        watermark = []

        def load() -> Iterable:
            latest, providers = self.source()
            watermark.append(latest)
            return providers

        try:
            with app.app_context():
                run.healed = self.index.heal(seen_stamp, load)
                if watermark:
                    # A rebuild holds every change logged before it read the providers.
                    self._on_rebuilt(watermark[0])
                    app.logger.warning("Search index rebuilt from the database")
        except Exception:
            app.logger.exception("Could not rebuild the search index")
        finally:
            with self._lock:
                self._running = None
            run.done.set()


class _Run:
    """One rebuild: set when it ended, and whether the index is sound after it."""

    def __init__(self):
        self.done = threading.Event()
        self.healed = False
