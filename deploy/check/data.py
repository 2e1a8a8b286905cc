"""A hoster's data chores: a backup (pg_dump and the app's own export), a restore of the
export into an empty database with its index rebuilt and searched by a second app server,
and an upgrade from the previous release's schema on a copy of the production database."""

import http.client
import subprocess  # nosec B404: pg_dump and pg_restore, fixed arguments
from urllib.parse import quote

import psycopg
from alembic.script import ScriptDirectory

from deploy.check.stack import ROOT, SITE, free_port
from deploy.check.web import APPLICANT, SLUG, Site

RESTORED = "directory_prod_check_restored"
UPGRADED = "directory_prod_check_upgraded"


def backup_and_restore(site: Site) -> None:
    stack, report = site.stack, site.report
    dump, export = stack.folder / "backup.dump", stack.folder / "backup.json"
    subprocess.run(  # nosec B603 B607
        ["pg_dump", "--format=custom", "--no-owner", "--file", str(dump),
         stack.libpq(stack.env["DATABASE_URL"])],
        check=True, capture_output=True,
    )  # fmt: skip
    exported = stack.flask("export", str(export)).strip()
    report.check(
        "backup: pg_dump and `flask export`",
        dump.stat().st_size > 0 and export.stat().st_size > 0,
        f"dump {dump.stat().st_size:,} B; export {export.stat().st_size:,} B, {exported}",
    )

    env = {
        "DATABASE_URL": stack.recreate_database(RESTORED),
        "SEARCH_INDEX_DIR": str(stack.folder / "restored-index"),
    }
    stack.flask("init-db", env=env)
    restored = stack.flask("import", str(export), env=env).strip()
    original, copy = _counts(stack.env["DATABASE_URL"]), _counts(env["DATABASE_URL"])
    differ = {t: (n, copy.get(t)) for t, n in original.items() if copy.get(t) != n}
    report.check(
        "restore into an empty database: `flask init-db` then `flask import`",
        not differ,
        f"{restored} {len(original)} tables, "
        + (f"rows differ: {differ}" if differ else "the same rows in every one"),
    )
    reindexed = stack.flask("reindex", env=env).strip().splitlines()[-1]
    checked = stack.flask("check-index", env=env).strip().splitlines()[-1]
    port = free_port()
    stack.gunicorn("restored", port, env=env, workers=1)
    status, body = _get(port, "/search?q=" + quote(APPLICANT))
    found = f'/providers/{SLUG}"' in body
    report.check(
        "`flask reindex` on the restored database, searched by a second app server",
        status == 200 and found and "matches" in checked,
        f"{reindexed} {checked} search: {status}, the approved entry found: {found}",
    )


def upgrade(site: Site) -> None:
    """The previous release's schema (migrations up to the head's parent) holding a copy of
    the production data, then `flask init-db` as the README's upgrade says."""
    stack = site.stack
    scripts = ScriptDirectory(str(ROOT / "migrations"))
    head = scripts.get_current_head()
    previous = scripts.get_revision(head).down_revision
    env = {
        "DATABASE_URL": stack.recreate_database(UPGRADED),
        "SEARCH_INDEX_DIR": str(stack.folder / "upgraded-index"),
    }
    subprocess.run(  # nosec B603 B607
        ["pg_restore", "--no-owner", "--dbname", stack.libpq(env["DATABASE_URL"]),
         str(stack.folder / "backup.dump")],
        check=True, capture_output=True,
    )  # fmt: skip
    before = _counts(env["DATABASE_URL"])
    # Only the schema goes back: the commands of this release must not read the data first.
    stack.flask("db", "downgrade", previous, env={**env, "SEARCH_REBUILD_ON_START": "0"})
    was = _revision(env["DATABASE_URL"])
    stack.flask("init-db", env=env)
    now = _revision(env["DATABASE_URL"])
    after = _counts(env["DATABASE_URL"])
    lost = {t: (n, after.get(t)) for t, n in before.items() if after.get(t, 0) < n}
    checked = stack.flask("check-index", env=env).strip().splitlines()[-1]
    site.report.check(
        "upgrade: a copy of the database at the previous release's schema, then `flask init-db`",
        was == previous and now == head and not lost and "matches" in checked,
        f"{was} -> {now}, {sum(after.values()):,} rows"
        + (f", rows lost: {lost}" if lost else ", none lost")
        + f"; {checked}",
    )


def _counts(url: str) -> dict[str, int]:
    """Rows per table of the app (Alembic's own table aside)."""
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://", 1)) as c:
        tables = [
            row[0]
            for row in c.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                "AND tablename <> 'alembic_version' ORDER BY tablename"
            )
        ]
        return {t: c.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}


def _revision(url: str) -> str:
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://", 1)) as c:
        return c.execute("SELECT version_num FROM alembic_version").fetchone()[0]


def _get(port: int, path: str) -> tuple[int, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers={"Host": SITE})
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        connection.close()
