"""A Flask-Limiter storage in the app's own database, so that limits hold across every worker
process and server without Redis. Used when RATELIMIT_STORAGE_URI is not set."""

import time

from flask import current_app
from limits.storage import Storage, storage_from_string
from limits.strategies import FixedWindowRateLimiter
from sqlalchemy import case, create_engine, delete, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool

from directory.models.rate_limit import RateLimitCounter

SCHEME = "dbcounter"
_INSERTS = {"sqlite": sqlite_insert, "postgresql": postgresql_insert}
_table = RateLimitCounter.__table__
_COUNTERS = "directory.counters"


def storage_uri(database_uri: str) -> str:
    """The storage URI for a database URL: "dbcounter+" in front of it."""
    return f"{SCHEME}+{database_uri}"


class DatabaseStorage(Storage):
    """Fixed-window counters, incremented with one atomic upsert per hit."""

    STORAGE_SCHEME = [f"{SCHEME}+sqlite", f"{SCHEME}+postgresql", f"{SCHEME}+postgresql+psycopg"]

    def __init__(self, uri: str, wrap_exceptions: bool = False, **options):
        """`options` are the engine's (create_engine keyword arguments), e.g. the app's
        SQLALCHEMY_ENGINE_OPTIONS."""
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        # No pool: only the few limited POSTs (apply, edit link, login) count, and a pooled
        # connection outlived the storage of each app a process made (tests, CLI), closed by
        # nobody (psycopg's ResourceWarning).
        engine_options = {**options, "poolclass": NullPool}
        engine_options.pop("pool_pre_ping", None)
        self.engine = create_engine(uri.removeprefix(f"{SCHEME}+"), **engine_options)
        self.insert = _INSERTS[self.engine.dialect.name]

    @property
    def base_exceptions(self):
        return SQLAlchemyError

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        now = time.time()
        statement = self.insert(_table).values(key=key, count=amount, expires_at=now + expiry)
        expired = _table.c.expires_at <= now
        statement = statement.on_conflict_do_update(
            index_elements=[_table.c.key],
            set_={
                "count": case((expired, amount), else_=_table.c.count + amount),
                "expires_at": case((expired, now + expiry), else_=_table.c.expires_at),
            },
        ).returning(_table.c.count)
        with self.engine.begin() as connection:
            return connection.execute(statement).scalar_one()

    def _row(self, key: str):
        with self.engine.connect() as connection:
            return connection.execute(select(_table).where(_table.c.key == key)).first()

    def get(self, key: str) -> int:
        row = self._row(key)
        return row.count if row is not None and row.expires_at > time.time() else 0

    def get_expiry(self, key: str) -> float:
        row = self._row(key)
        return row.expires_at if row is not None else time.time()

    def check(self) -> bool:
        try:
            with self.engine.connect() as connection:
                connection.execute(select(1))
            return True
        except SQLAlchemyError:
            return False

    def reset(self) -> int | None:
        with self.engine.begin() as connection:
            return connection.execute(delete(_table)).rowcount

    def clear(self, key: str) -> None:
        with self.engine.begin() as connection:
            connection.execute(delete(_table).where(_table.c.key == key))


def counters() -> FixedWindowRateLimiter:
    """Fixed-window counters of this app on the rate limits' storage, for the limits that
    services count themselves (failed logins, contact messages). One per app: Flask-Limiter's
    own is global to the process and off when RATELIMIT_ENABLED is."""
    extensions = current_app.extensions
    if _COUNTERS not in extensions:
        config = current_app.config
        uri = config["RATELIMIT_STORAGE_URI"]
        # In the app's database: on an engine set up like the app's own (its pool).
        options = config.get("SQLALCHEMY_ENGINE_OPTIONS", {}) if uri.startswith(SCHEME) else {}
        extensions[_COUNTERS] = FixedWindowRateLimiter(storage_from_string(uri, **options))
    return extensions[_COUNTERS]
