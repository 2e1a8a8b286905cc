"""Replaying the database's change log into this server's index, past its watermark.

Each index folder records the id of the last change it applied (its watermark) in a small
file, tagged with the folder's build stamp so that a rebuilt folder never inherits the
watermark of the one it replaced. Changes are applied under the Whoosh writer lock, and the
watermark is re-read inside it, so two workers never apply the same changes twice at once.
"""

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.index import LockError

from directory.search.documents import to_document
from directory.search.index import VERSION_FILE, IndexUnavailable, quiet_leaks

WATERMARK_FILE = "directory-applied-change"


@dataclass
class ChangeSet:
    """What the log holds past a watermark: the last change id, and the providers to
    (re)index and the provider ids to remove that these changes add up to."""

    last_id: int
    upserts: list = field(default_factory=list)
    removals: Iterable[int] = ()


def _stamp(path: Path) -> str | None:
    try:
        return (path / VERSION_FILE).read_text().strip()
    except OSError:
        return None


def applied(path: Path) -> int:
    """The watermark of the index in `path`: 0 when unknown (missing, or left by a folder
    that a rebuild replaced), which makes the next replay start from the oldest change."""
    try:
        stamp, _, value = (path / WATERMARK_FILE).read_text().strip().rpartition(" ")
        return int(value) if stamp and stamp == _stamp(path) else 0
    except (OSError, ValueError):
        return 0


def mark_applied(path: Path, change_id: int, stamp: str | None = None) -> None:
    """Records `change_id` as the last change applied, atomically (write, then rename)."""
    stamp = stamp or _stamp(path)
    if stamp is None:
        return
    temporary = path / f"{WATERMARK_FILE}.{os.getpid()}.tmp"
    temporary.write_text(f"{stamp} {change_id}")
    os.replace(temporary, path / WATERMARK_FILE)


def replay(path: Path, load: Callable[[int], ChangeSet], timeout: float) -> int | None:
    """Applies what `load(watermark)` returns in one commit, then moves the watermark.
    Returns the number of documents written or removed, or None when the writer lock stayed
    busy for `timeout` seconds (another process is writing: try again later). Raises
    IndexUnavailable if the index cannot be opened."""
    problem = None
    with quiet_leaks():
        try:
            ix = whoosh_index.open_dir(str(path))
        except (OSError, EOFError, whoosh_index.IndexError) as error:
            problem = f"{path}: {error!r}"
    if problem:
        raise IndexUnavailable(problem)
    try:
        writer = ix.writer(timeout=timeout, delay=0.02)
    except LockError:
        return None
    try:
        # Read inside the lock: whoever held it before may have applied these changes.
        stamp = _stamp(path)
        changes = load(applied(path))
        removals = list(changes.removals)
        for provider in changes.upserts:
            writer.update_document(**to_document(provider))
        for provider_id in removals:
            writer.delete_by_term("id", str(provider_id))
    except BaseException:
        writer.cancel()
        raise
    if not changes.upserts and not removals:
        writer.cancel()
    else:
        writer.commit()
    # After the commit: a crash in between only makes the changes apply once more.
    mark_applied(path, changes.last_id, stamp)
    return len(changes.upserts) + len(removals)
