"""The index change log: written with every change of what is searchable, read by catch-up."""

from collections.abc import Iterable
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, func, select, text

from directory.extensions import db
from directory.models import IndexChange, IndexOperation
from directory.models.provider import utcnow

# Changes replayed in one go at most, so that a search that replays stays short; a server far
# behind catches up over several searches.
REPLAY_BATCH = 500


def record(upserts: Iterable[int] = (), removals: Iterable[int] = ()) -> None:
    """Adds these changes to the current transaction: call it just before the commit, once
    every other write is done (it flushes them first, so that the providers have their ids).

    On PostgreSQL it then locks the log until the commit, so that ids are handed out in
    commit order: a server that applied every change up to N never skips one committed late
    with a smaller id. SQLite holds its one write lock until the commit anyway.
    """
    upserts, removals = list(upserts), list(removals)
    if not upserts and not removals:
        return
    db.session.flush()
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("LOCK TABLE index_change IN EXCLUSIVE MODE"))
    db.session.add_all(
        [IndexChange(provider_id=i, operation=IndexOperation.UPSERT) for i in upserts]
        + [IndexChange(provider_id=i, operation=IndexOperation.REMOVE) for i in removals]
    )


_LATEST_ID = select(func.max(IndexChange.id))


def latest_id() -> int:
    """The id of the newest change (0 when the log is empty): a cheap check before a search,
    run on the session's connection (a quarter of the ORM's cost; twice per search)."""
    return db.session.connection().execute(_LATEST_ID).scalar() or 0


def kept_since(after_id: int) -> bool:
    """Whether every change past `after_id` is still in the log: prune() has not deleted
    any: the oldest kept change is at most the next one. False for an empty log."""
    oldest = db.session.scalar(select(func.min(IndexChange.id)))
    return oldest is not None and oldest <= after_id + 1


def latest_time():
    """When the newest change was logged (None when the log is empty): one lookup of the
    primary key's newest entry, whatever the size of the directory."""
    return db.session.scalar(
        select(IndexChange.created_at).order_by(IndexChange.id.desc()).limit(1)
    )


def changed_since(after_id: int, limit: int | None = None) -> tuple[int, set[int]]:
    """The first `limit` (REPLAY_BATCH) changes past `after_id`: the last one's id (or
    `after_id` when there is none) and the providers they touched."""
    rows = db.session.execute(
        select(IndexChange.id, IndexChange.provider_id)
        .where(IndexChange.id > after_id)
        .order_by(IndexChange.id)
        .limit(limit or REPLAY_BATCH)
    ).all()
    if not rows:
        return after_id, set()
    return rows[-1].id, {row.provider_id for row in rows}


def prune(now=None) -> int:
    """Deletes changes older than INDEX_CHANGE_RETENTION_DAYS; returns how many. A server
    whose index stayed behind for longer must be rebuilt (`flask reindex`)."""
    before = (now or utcnow()) - timedelta(days=current_app.config["INDEX_CHANGE_RETENTION_DAYS"])
    result = db.session.execute(delete(IndexChange).where(IndexChange.created_at < before))
    db.session.commit()
    return result.rowcount
