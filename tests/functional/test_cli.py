"""The command-line tasks."""

from pathlib import Path

from sqlalchemy import func, select

from directory import search
from directory.extensions import db
from directory.models import Provider, Software
from directory.search import SearchRequest
from tests.conftest import SEED_DIR


def test_seed_is_idempotent(app, runner):
    first = runner.invoke(args=["seed"])
    assert first.exit_code == 0, first.output
    with app.app_context():
        providers = db.session.scalar(select(func.count(Provider.id)))
        tags = db.session.scalar(select(func.count(Software.id)))
    second = runner.invoke(args=["seed"])
    assert second.exit_code == 0
    assert f"0 created, {providers} already present" in second.output
    with app.app_context():
        assert db.session.scalar(select(func.count(Provider.id))) == providers
        assert db.session.scalar(select(func.count(Software.id))) == tags
        assert search.search(SearchRequest()).total == providers
    assert providers >= 60


def test_seed_if_empty_skips_a_filled_database(runner):
    runner.invoke(args=["seed"])
    result = runner.invoke(args=["seed", "--if-empty"])
    assert "not loaded" in result.output


def test_seed_reports_unknown_codes(app, runner, tmp_path):
    (tmp_path / "taxonomy.json").write_text((SEED_DIR / "taxonomy.json").read_text())
    (tmp_path / "providers.json").write_text(
        '[{"slug": "x", "name": "X", "kind": "association", "work_mode": "both",'
        ' "services": ["teleportation"], "price_models": [], "audiences": [], "languages": [],'
        ' "created": "2025-01-01", "updated": "2025-01-01", "last_verified": "2025-01-01"}]'
    )
    app.config["SEED_DIR"] = str(tmp_path)
    result = runner.invoke(args=["seed"])
    assert result.exit_code != 0
    assert "teleportation" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count(Provider.id))) == 0


def test_reindex_rebuilds_from_the_database_with_progress(app, runner):
    runner.invoke(args=["seed"])
    with app.app_context():
        expected = db.session.scalar(select(func.count(Provider.id)))
        search.remove_providers(range(1, 10))
    result = runner.invoke(args=["reindex"])
    assert result.exit_code == 0
    assert "Indexing providers" in result.output
    assert f"{expected} providers indexed." in result.output
    with app.app_context():
        assert search.search(SearchRequest()).total == expected


def test_reindex_if_needed_only_rebuilds_a_broken_index(app, runner):
    assert "up to date" in runner.invoke(args=["reindex", "--if-needed"]).output
    (Path(app.config["SEARCH_INDEX_DIR"]) / "directory-schema-version").write_text("0")
    assert "rebuilt" in runner.invoke(args=["reindex", "--if-needed"]).output
