"""The migrations build exactly the models' schema, on SQLite and on PostgreSQL, and undo it."""

import flask_migrate
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from directory import create_app
from directory.config import TestConfig
from directory.extensions import db
from tests.databases import database


def _empty_app(tmp_path):
    """An app on an empty database: no create_all, the migrations alone build it."""
    return create_app(
        {
            **{k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()},
            **database(tmp_path),
            "SEARCH_INDEX_DIR": str(tmp_path / "index"),
        }
    )


def test_upgrade_builds_the_models_schema_and_downgrade_removes_it(tmp_path):
    app = _empty_app(tmp_path)
    with app.app_context():
        assert inspect(db.engine).get_table_names() == []
        flask_migrate.upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, db.metadata) == []
        assert set(inspect(db.engine).get_table_names()) == {
            *db.metadata.tables,
            "alembic_version",
        }
        flask_migrate.downgrade(revision="base")
        assert inspect(db.engine).get_table_names() == ["alembic_version"]
        db.engine.dispose()


def _revision() -> str | None:
    with db.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def test_init_db_migrates_an_empty_database_to_the_latest_revision(tmp_path):
    app = _empty_app(tmp_path)
    result = app.test_cli_runner().invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        head = ScriptDirectory.from_config(flask_migrate.Migrate().get_config()).get_current_head()
        assert _revision() == head
        assert set(db.metadata.tables) <= set(inspect(db.engine).get_table_names())
        db.engine.dispose()


def test_init_db_marks_a_database_made_before_migrations_as_current(tmp_path):
    app = _empty_app(tmp_path)
    with app.app_context():
        db.create_all()
    result = app.test_cli_runner().invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert _revision() is not None
        # A second run has nothing left to do and changes nothing.
        assert app.test_cli_runner().invoke(args=["init-db"]).exit_code == 0
        db.engine.dispose()


def test_an_app_on_the_previous_release_schema_starts_so_that_init_db_can_upgrade_it(tmp_path):
    """After pulling a new release, `flask init-db` builds the app first: with the index
    rebuilt at start-up (the default), that rebuild read the providers with the new release's
    columns from the old schema and crashed, so the upgrade the README prescribes never ran."""
    app = _empty_app(tmp_path)
    with app.app_context():
        scripts = ScriptDirectory.from_config(flask_migrate.Migrate().get_config())
        head = scripts.get_current_head()
        previous = scripts.get_revision(head).down_revision
        flask_migrate.upgrade(revision=previous)
        db.engine.dispose()
    config = {
        **{k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()},
        **database(tmp_path),
        "SEARCH_INDEX_DIR": str(tmp_path / "index"),
        "SEARCH_REBUILD_ON_START": True,
    }
    upgrading = create_app(config)
    result = upgrading.test_cli_runner().invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    with upgrading.app_context():
        assert _revision() == head
        db.engine.dispose()
    # Once upgraded, the next start builds the index as usual.
    started = create_app(config)
    checked = started.test_cli_runner().invoke(args=["check-index"])
    assert checked.exit_code == 0, checked.output
    assert any((tmp_path / "index").iterdir())
    with started.app_context():
        db.engine.dispose()
