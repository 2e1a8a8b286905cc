"""Brings the database's schema up to date through the Alembic migrations of migrations/."""

import flask_migrate
from sqlalchemy import inspect

from directory.extensions import db


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
