"""Brings the database's schema up to date through the Alembic migrations of migrations/."""

import sqlite3

import flask_migrate
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask, current_app
from sqlalchemy import event, inspect

from directory.extensions import db


def init_app(app: Flask) -> None:
    """SQLite checks foreign keys only when asked, on each connection: without it, erasing a
    provider left its applications pointing at its id, which the next provider then got."""
    with app.app_context():
        event.listen(db.engine, "connect", _enforce_foreign_keys)


def _enforce_foreign_keys(dbapi_connection, _record) -> None:
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


def upgrade() -> str:
    """Applies the migrations not yet applied. A database created before migrations existed
    (tables but no alembic_version) gets its missing tables, then is marked as up to date
    instead of being migrated from scratch. Returns what was done: "upgraded" or "stamped"."""
    tables = set(inspect(db.engine).get_table_names())
    if tables and "alembic_version" not in tables:
        db.create_all()
        flask_migrate.stamp()
        return "stamped"
    flask_migrate.upgrade()
    return "upgraded"


def behind_migrations() -> bool:
    """Whether the database was migrated by Alembic to a revision older than this release's
    head: after pulling a new release and before `flask init-db`. Its tables then lack this
    release's columns, so nothing may read them yet. A database with no Alembic revision
    (made by create_all) is not said to be behind."""
    with db.engine.connect() as connection:
        current = set(MigrationContext.configure(connection).get_current_heads())
    if not current:
        return False
    scripts = ScriptDirectory(current_app.extensions["migrate"].directory)
    return current != set(scripts.get_heads())
