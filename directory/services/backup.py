"""Whole-directory backups: every table to one JSON document, and back into an empty database."""

from datetime import date, datetime

from sqlalchemy import Date, DateTime, func, select

from directory.extensions import db
from directory.models import Application, IndexChange, Moderator, Provider, TaxonomyChange
from directory.models.provider import utcnow
from directory.services import index_log

FORMAT = "libre-assos-backup"
VERSION = 1


# The index change log says what each server's index must replay: it belongs to the servers
# that wrote it, not to the directory's content. A restore logs every provider afresh instead.
# Likewise the taxonomy's versions, cached by each process: a restore adds a newer one.
_NOT_BACKED_UP = {IndexChange.__tablename__, TaxonomyChange.__tablename__}


def _tables():
    return [table for table in db.metadata.sorted_tables if table.name not in _NOT_BACKED_UP]


class BackupError(Exception):
    """The backup cannot be restored here (not empty, or not a backup of ours)."""


def _plain(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def export_all() -> dict:
    """Every row of every table, moderation history and audit log included."""
    tables = {}
    for table in _tables():
        rows = db.session.execute(select(table).order_by(*table.primary_key.columns)).mappings()
        tables[table.name] = [{key: _plain(value) for key, value in row.items()} for row in rows]
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": utcnow().isoformat(),
        "tables": tables,
    }


def _typed(table, row: dict) -> dict:
    typed = {}
    for key, value in row.items():
        column_type = table.columns[key].type
        if value is not None and isinstance(column_type, DateTime):
            value = datetime.fromisoformat(value)
        elif value is not None and isinstance(column_type, Date):
            value = date.fromisoformat(value)
        typed[key] = value
    return typed


def import_all(backup: dict) -> int:
    """Restores a backup into an empty database (the taxonomy may be there already: it is
    replaced). Returns the number of rows written. Raises BackupError."""
    if backup.get("format") != FORMAT or backup.get("version") != VERSION:
        raise BackupError("not a backup of this directory")
    for model in (Provider, Application, Moderator):
        if db.session.scalar(select(func.count()).select_from(model)):
            raise BackupError("the database is not empty")
    written = 0
    try:
        for table in reversed(_tables()):
            db.session.execute(table.delete())
        for table in _tables():
            rows = [_typed(table, row) for row in backup["tables"].get(table.name, [])]
            if rows:
                db.session.execute(table.insert(), rows)
                written += len(rows)
        _reset_sequences()
        # Every server's index must take in the restored providers, not only this one's.
        index_log.record(upserts=db.session.scalars(select(Provider.id).where(Provider.published)))
        # The taxonomy was replaced: every process must read it again.
        db.session.add(TaxonomyChange())
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return written


def _reset_sequences() -> None:
    """PostgreSQL keeps id counters apart from the rows: move them past the restored ids."""
    if db.engine.dialect.name != "postgresql":
        return
    for table in _tables():  # the log's ids must only grow: servers keep watermarks
        if "id" in table.columns and table.columns["id"].autoincrement is not False:
            next_id = select(func.coalesce(func.max(table.c.id), 0) + 1).scalar_subquery()
            sequence = func.pg_get_serial_sequence(table.name, "id")
            db.session.execute(select(func.setval(sequence, next_id, False)))
