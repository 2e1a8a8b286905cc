"""What the search package keeps between searches (postings, bitmaps, scores, orders):
values under keys up to a number of bytes in all, the least recently used dropped first.
One class for every such store, each with its own budget and its own way to size a value."""

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable


class KeptBytes:
    """A thread-safe store bounded in bytes. `limit()` is read at each keep, so that the
    module constant it returns stays the one setting; a value larger than the whole budget
    is not kept (it would push out everything else for nothing)."""

    def __init__(self, limit: Callable[[], int], size: Callable[[object], int]):
        self._limit = limit
        self._size = size
        self._kept: OrderedDict[Hashable, object] = OrderedDict()
        self.bytes = 0
        self._lock = threading.Lock()

    def get(self, key: Hashable):
        """The value kept under `key` (now the most recently used), or None."""
        with self._lock:
            found = self._kept.get(key)
            if found is not None:
                self._kept.move_to_end(key)
            return found

    def keep(self, key: Hashable, value) -> None:
        """Keeps `value` under `key` (replacing what another thread kept meanwhile), then
        drops the least recently used values while over the budget."""
        size, limit = self._size(value), self._limit()
        with self._lock:
            previous = self._kept.pop(key, None)
            if previous is not None:
                self.bytes -= self._size(previous)
            if size > limit:
                return
            self._kept[key] = value
            self.bytes += size
            while self.bytes > limit:
                _key, oldest = self._kept.popitem(last=False)
                self.bytes -= self._size(oldest)

    def values(self) -> list:
        with self._lock:
            return list(self._kept.values())

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()
            self.bytes = 0
