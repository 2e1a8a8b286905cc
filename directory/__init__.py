"""The directory of ethical digital service providers for associations."""

from collections.abc import Mapping
from pathlib import Path

from flask import Flask
from sqlalchemy import inspect

from directory import (
    cli,
    compression,
    connections,
    database,
    deployment,
    i18n,
    page_cache,
    pictograms,
    rate_limits,
    search,
    security,
    static_files,
    urls,
)
from directory.config import ROOT, Config
from directory.extensions import csrf, db, limiter, migrate
from directory.services import indexing
from directory.views import register_views


def create_app(config: type | Mapping | None = None) -> Flask:
    """Build the application: configuration, extensions, blueprints, commands."""
    app = urls.DirectoryFlask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=str(ROOT / "instance"),
    )
    configure(app, config)
    configure_extensions(app)
    configure_blueprints(app)
    cli.init_app(app)
    configure_search_index(app)
    return app


def configure(app: Flask, config: type | Mapping | None) -> None:
    app.config.from_object(Config)
    if isinstance(config, Mapping):
        app.config.from_mapping(config)
    elif config is not None:
        app.config.from_object(config)
    app.config.setdefault("TRANSLATIONS_DIR", str(ROOT / "translations"))
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    deployment.check_settings(app)
    deployment.trust_proxies(app)
    if not app.config.get("LOGO_DIR"):
        app.config["LOGO_DIR"] = str(Path(app.instance_path) / "uploads" / "logos")
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        database = Path(app.instance_path) / "directory.sqlite3"
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{database}"
    if not app.config.get("RATELIMIT_STORAGE_URI"):
        app.config["RATELIMIT_STORAGE_URI"] = rate_limits.storage_uri(
            app.config["SQLALCHEMY_DATABASE_URI"]
        )


def configure_extensions(app: Flask) -> None:
    # First, so that its after_request hook runs last: the page cache keeps a page's plain
    # bytes before they are compressed.
    compression.init_app(app)
    # Then, so that its hook runs just before: it sees every header the others set.
    page_cache.init_app(app)
    db.init_app(app)
    database.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    # The public forms' limits count requests that fail the CSRF check too: see
    # views/access.py's form_rate_limit.
    limiter.init_app(app)
    csrf.init_app(app)
    i18n.init_app(app)
    search.init_app(app, source=indexing.index_source)
    security.init_app(app)
    connections.init_app(app)
    urls.init_app(app)
    static_files.init_app(app)
    pictograms.init_app(app)


def configure_blueprints(app: Flask) -> None:
    register_views(app)


def configure_search_index(app: Flask) -> None:
    """Rebuild a missing, broken or outdated index at start, once the database exists."""
    if not app.config["SEARCH_REBUILD_ON_START"]:
        return
    with app.app_context():
        tables = set(inspect(db.engine).get_table_names())
        if "provider" in tables and database.behind_migrations():
            # `flask init-db` after pulling a new release builds the app too: reading the
            # providers now would fail on the columns the migrations have not added yet.
            app.logger.warning("The database schema is out of date: run `flask init-db`.")
        elif {"provider", "index_change"} <= tables:
            try:
                indexing.ensure_search_index()
            except search.IndexUnavailable as error:
                # Serve anyway: pages that need the index answer 503 until it can be rebuilt.
                app.logger.error("Search index could not be rebuilt: %s", error)
        elif "provider" in tables:
            app.logger.warning("The database schema is out of date: run `flask init-db`.")
