"""The index rebuilds itself when it is missing, broken or of an older schema."""

import fcntl
import shutil
from pathlib import Path

import pytest

from directory import search
from directory.extensions import db
from directory.search import SearchRequest
from directory.services import indexing, providers
from tests.conftest import html
from tests.factories import make_provider


@pytest.fixture
def index_dir(app) -> Path:
    return Path(app.config["SEARCH_INDEX_DIR"])


def _break_by_deleting(index_dir: Path):
    shutil.rmtree(index_dir)


def _break_by_truncating(index_dir: Path):
    for path in index_dir.iterdir():
        if path.name.endswith(".toc"):
            path.write_bytes(b"\x00garbage")


def _break_by_old_schema(index_dir: Path):
    (index_dir / "directory-schema-version").write_text("1")


@pytest.mark.parametrize("damage", [_break_by_deleting, _break_by_truncating, _break_by_old_schema])
def test_ensure_index_rebuilds_a_damaged_index(app, index_dir, damage):
    with app.app_context():
        made = make_provider(description_fr="Hébergement.")
        app.extensions["directory.search"].index.close()
        damage(index_dir)
        assert indexing.ensure_search_index() is True
        result = search.search(SearchRequest(text="hébergement"))
        assert [hit.provider_id for hit in result.hits] == [made.id]
        assert indexing.ensure_search_index() is False


def test_a_healthy_index_is_left_alone(app):
    with app.app_context():
        make_provider()
        assert indexing.ensure_search_index() is False
        assert search.search(SearchRequest()).total == 1


def test_a_missing_index_is_rebuilt_within_the_search_that_finds_it_missing(app, index_dir):
    with app.app_context():
        made = make_provider()
        app.extensions["directory.search"].index.close()
        shutil.rmtree(index_dir)
        assert [hit.provider_id for hit in search.search(SearchRequest()).hits] == [made.id]


def test_without_a_source_a_missing_index_is_reported_not_crashed(app, index_dir):
    with app.app_context():
        app.extensions["directory.search"].healer.source = None
        app.extensions["directory.search"].index.close()
        shutil.rmtree(index_dir)
        with pytest.raises(search.IndexUnavailable):
            search.search(SearchRequest())


def test_the_search_page_says_so_while_another_process_rebuilds_the_index(app, client, index_dir):
    app.extensions["directory.search"].index.close()
    shutil.rmtree(index_dir)
    # Another worker holds the rebuild lock: this one does not rebuild too, it answers 503.
    with open(index_dir.parent / "index.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        response = client.get("/search?lang=en")
        assert response.status_code == 503
        assert "being rebuilt" in html(response).main.get_text()
        assert not index_dir.exists()
    assert client.get("/search").status_code == 200


def test_a_searcher_sees_commits_of_another_writer(app):
    with app.app_context():
        make_provider()
        assert search.search(SearchRequest()).total == 1
        make_provider()
        assert search.search(SearchRequest()).total == 2


def test_a_searcher_does_not_see_documents_deleted_since(app):
    with app.app_context():
        kept = make_provider()
        gone = make_provider()
        make_provider()
        assert search.search(SearchRequest()).total == 3
        search.index_providers([kept])
        search.remove_providers([gone.id])
        result = search.search(SearchRequest(per_page=10))
        assert result.total == 2
        ids = [hit.provider_id for hit in result.hits]
        assert len(ids) == len(set(ids)) == 2
        assert gone.id not in [hit.provider_id for hit in result.hits]


def test_hits_stay_paired_with_their_providers_when_one_left_the_database(app):
    with app.app_context():
        gone = make_provider(name="Aaa Gone")
        kept = make_provider(name="Bbb Kept")
        db.session.delete(gone)
        db.session.commit()  # deleted without telling the index, as a crash would
        page = providers.find(SearchRequest(sort="name"))
        assert [(hit.provider_id, provider.id) for hit, provider in page.entries] == [
            (kept.id, kept.id)
        ]
