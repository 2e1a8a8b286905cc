"""The tests' databases: a SQLite file per app, or a PostgreSQL schema per app when
TEST_DATABASE_URL is set, in a database of each pytest-xdist worker's own under pytest -n."""

import atexit
import contextlib
import functools
import os
import shutil
import tempfile
import uuid
from pathlib import Path

from sqlalchemy import create_engine, make_url, text
from sqlalchemy.pool import NullPool

# Set by `make test` for its PostgreSQL pass; each app then gets a schema of its own.
POSTGRES_URL = os.environ.get("TEST_DATABASE_URL")
# The pytest-xdist worker running this process ("gw0", "gw1"...), None in a serial run.
WORKER = os.environ.get("PYTEST_XDIST_WORKER")
SQLITE_FILE = "test.sqlite3"
_schemas: dict[Path, str] = {}


def database(tmp: Path) -> dict:
    """The database settings of the app whose files are in `tmp`: the same database for a
    second app on the same folder (a restarted worker)."""
    if not POSTGRES_URL:
        return {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / SQLITE_FILE}"}
    if tmp not in _schemas:
        schema = f"t_{uuid.uuid4().hex[:16]}"
        with _connection(_postgres_url()) as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        _schemas[tmp] = schema
    return {
        "SQLALCHEMY_DATABASE_URI": f"{_postgres_url()}?options=-csearch_path%3D{_schemas[tmp]}",
        # No pool: hundreds of test apps must not keep hundreds of connections open.
        "SQLALCHEMY_ENGINE_OPTIONS": {"poolclass": NullPool},
    }


def drop_all() -> None:
    """Drops what the tests of this process made on PostgreSQL, at the end of the session."""
    if not (POSTGRES_URL and _schemas):
        return
    if WORKER:
        # The worker's own database, every schema in it at once: dropping them one by one
        # took 20 s at the end of each worker's session.
        with _connection(POSTGRES_URL) as connection:
            name = make_url(_postgres_url()).database
            connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        return
    for schema in _schemas.values():
        # One transaction per schema: dropping them all at once exhausts the lock table.
        with _connection(_postgres_url()) as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))


@functools.cache
def _postgres_url() -> str:
    """The database this process makes its schemas in: TEST_DATABASE_URL's in a serial run.
    Under pytest -n, a database of the worker's own for this run, beside it
    (directory_test_gw0_<run>), so that no worker ever waits on the locks of another's
    schemas, and a second run on the same server does not meet the first; it is dropped at
    the end (drop_all). The test role must be allowed to create databases (a superuser in
    CI: .ci/postgres)."""
    if not WORKER:
        return POSTGRES_URL
    url = make_url(POSTGRES_URL)
    run = os.environ["PYTEST_XDIST_TESTRUNUID"][:8]
    url = url.set(database=f"{url.database}_{WORKER}_{run}")
    with _connection(POSTGRES_URL) as connection:
        connection.execute(text(f'CREATE DATABASE "{url.database}"'))
    return url.render_as_string(hide_password=False)


@contextlib.contextmanager
def _connection(url: str):
    """A connection of its own, committing each statement (CREATE DATABASE needs it)."""
    engine = create_engine(url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            yield connection
    finally:
        engine.dispose()


def fresh_sqlite_copy(tmp: Path, make) -> bool:
    """Puts in `tmp` a copy of a database with every table and the real taxonomy, if the
    app of `tmp` is on SQLite and has no database yet; False otherwise. `make(folder)` makes
    that database in `folder`, once per process: a copy costs a millisecond where making
    the tables and loading the taxonomy cost 0.15 s, for each of the thousand apps that the
    tests make."""
    if POSTGRES_URL or (tmp / SQLITE_FILE).exists():
        return False
    tmp.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(_sqlite_template(make), tmp / SQLITE_FILE)
    return True


@functools.cache
def _sqlite_template(make) -> Path:
    folder = Path(tempfile.mkdtemp(prefix="directory-tests-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    make(folder)
    return folder / SQLITE_FILE
