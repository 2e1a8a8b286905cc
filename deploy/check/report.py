"""Each check printed as it is made: OK or FAIL, what was checked, and its figure."""

import sys
import time
from collections.abc import Callable


class Report:
    def __init__(self):
        self.failures = 0
        self.count = 0
        self.started = time.monotonic()

    def check(self, name: str, ok: bool, figure: str = "") -> bool:
        self.count += 1
        self.failures += not ok
        print(f"{'OK  ' if ok else 'FAIL'}  {name}" + (f": {figure}" if figure else ""), flush=True)
        return ok

    def run(self, name: str, step: Callable[[], None]) -> None:
        """Runs a group of checks; an exception in it is one more failure, not the end."""
        try:
            step()
        except Exception as error:
            self.check(name, False, f"{type(error).__name__}: {error}")

    def note(self, text: str) -> None:
        print(f"      {text}", flush=True)

    def summary(self) -> int:
        seconds = time.monotonic() - self.started
        passed = self.count - self.failures
        print(f"\n{passed} of {self.count} checks passed in {seconds:.0f} s.", file=sys.stdout)
        return 1 if self.failures else 0
