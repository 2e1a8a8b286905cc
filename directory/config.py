"""Configuration classes; the only module that reads the environment."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class Config:
    """Defaults for a developer machine; every key can be overridden from the environment."""

    # Signs the session and language cookies. Set SECRET_KEY in production.
    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-change-me")
    # Database URL; SQLite in the instance folder when unset (filled in by create_app).
    # PostgreSQL example: postgresql+psycopg://user:password@host/dbname
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL")
    # Folder of the Whoosh index; "<instance>/search-index" when unset.
    SEARCH_INDEX_DIR = os.environ.get("SEARCH_INDEX_DIR")
    # Rebuild the index at start-up when it is missing, unreadable or of an older schema.
    SEARCH_REBUILD_ON_START = os.environ.get("SEARCH_REBUILD_ON_START", "1") == "1"
    # Results per page on the search page.
    SEARCH_PER_PAGE = int(os.environ.get("SEARCH_PER_PAGE", "20"))
    # Folder holding taxonomy.json and providers.json for `flask seed`.
    SEED_DIR = os.environ.get("SEED_DIR", str(ROOT / "seed"))
    # Locale of the interface when neither ?lang=, the cookie nor the browser decide.
    BABEL_DEFAULT_LOCALE = "fr"
    BABEL_DEFAULT_TIMEZONE = "Europe/Paris"
    # Locales the interface is translated into, in the order shown by the language switch.
    LANGUAGES = ("fr", "en")
    # Lifetime of the language cookie, in seconds (one year).
    LANGUAGE_COOKIE_MAX_AGE = 365 * 24 * 3600
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}


class TestConfig(Config):
    """Settings for the test suite: an isolated database and index, no rebuild on start."""

    TESTING = True
    SECRET_KEY = "test-secret"
    SQLALCHEMY_DATABASE_URI = None
    SEARCH_REBUILD_ON_START = False
    WTF_CSRF_ENABLED = True
