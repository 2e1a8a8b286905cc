"""Fixtures: an app with its own database and index, a client, a CLI runner, seeded data."""

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from directory import create_app
from directory.config import ROOT, TestConfig
from directory.extensions import db
from directory.services import providers
from directory.services.seeding import load_seed, load_taxonomy_file

SEED_DIR = ROOT / "seed"


def _make_app(tmp: Path):
    app = create_app(
        {
            **{k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()},
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'test.sqlite3'}",
            "SEARCH_INDEX_DIR": str(tmp / "index"),
        }
    )
    with app.app_context():
        db.create_all()
    return app


@pytest.fixture
def app(tmp_path):
    """An app with the real taxonomy, no provider and an empty index."""
    app = _make_app(tmp_path)
    with app.app_context():
        load_taxonomy_file(SEED_DIR / "taxonomy.json")
        providers.reindex_all()
    yield app
    app.extensions["directory.search"].index.close()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture(scope="session")
def seeded_app(tmp_path_factory):
    """An app loaded with the seed data once for the session: read-only tests only."""
    app = _make_app(tmp_path_factory.mktemp("seeded"))
    with app.app_context():
        load_seed(SEED_DIR)
        providers.reindex_all()
    yield app
    app.extensions["directory.search"].index.close()


@pytest.fixture
def seeded_client(seeded_app):
    return seeded_app.test_client()


def html(response) -> BeautifulSoup:
    """The parsed page of a response, for assertions through CSS selectors."""
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")
