"""Faults: the site keeps answering, nothing committed is lost, the index heals itself."""

import pickle
import shutil
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from directory import create_app, search
from directory.extensions import db
from directory.models import Application
from directory.search import SearchRequest
from directory.search.index import SearchIndex
from directory.services import applications, indexing, moderation
from directory.services.provider_data import snapshot
from tests.conftest import html, make_app, worker_config
from tests.factories import make_provider
from tests.forms import application_form


def _wait_for_search(client, path="/search?q=hebergement", seconds=20):
    """The first answer that is not a 503; a healing index never shows partial results."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        response = client.get(path)
        if response.status_code != 503:
            return response
        time.sleep(0.05)
    raise AssertionError("the index did not heal")


def _delete(index: Path):
    shutil.rmtree(index)


def _corrupt_toc(index: Path):
    for path in index.glob("*.toc"):
        path.write_bytes(b"\x00garbage")


def _segment_files(index: Path) -> list[Path]:
    """The files of the index's segments (segments are written as separate files, one per
    part: terms, postings, columns), without the table of contents and the lock."""
    files = [p for p in index.glob("MAIN_*") if p.name != "MAIN_WRITELOCK"]
    assert files, "the index has no segment file"
    return files


def _truncate_segments(index: Path):
    for path in _segment_files(index):
        path.write_bytes(path.read_bytes()[:40])


def _delete_segments(index: Path):
    for path in _segment_files(index):
        path.unlink()


def _truncate_toc(index: Path):
    for path in index.glob("*.toc"):
        path.write_bytes(path.read_bytes()[:60])


def _garbage_toc(index: Path):
    for path in index.glob("*.toc"):
        path.write_bytes(pickle.dumps(["not", "a", "table of contents"])[:-3])


# Whoosh leaves file handles open when it trips over a damaged file; they are closed by the
# garbage collector, sometimes in the healing thread, where no warning filter of ours applies.
@pytest.mark.filterwarnings("ignore::ResourceWarning")
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.parametrize("damage", [_delete, _corrupt_toc, _truncate_segments, _delete_segments])
def test_a_damaged_index_degrades_then_heals(app, client, damage):
    with app.app_context():
        made = make_provider(services=["hosting"], description_fr="Hébergement libre.")
    assert client.get("/search?q=hebergement").status_code == 200
    app.extensions["directory.search"].index.close()
    damage(Path(app.config["SEARCH_INDEX_DIR"]))
    first = client.get("/search?q=hebergement")
    assert first.status_code in (200, 503)
    if first.status_code == 503:
        assert "reconstruction" in html(first).main.get_text()
    healed = _wait_for_search(client)
    assert healed.status_code == 200
    assert f"/providers/{made.slug}" in healed.get_data(as_text=True)


def test_a_stale_lock_file_does_not_block_writes(app):
    index = Path(app.config["SEARCH_INDEX_DIR"])
    (index / "MAIN_WRITELOCK").write_text("left behind by a killed process")
    with app.app_context():
        made = make_provider(description_fr="Formation.")
        assert [h.provider_id for h in search.search(SearchRequest(text="formation")).hits] == [
            made.id
        ]


def test_an_approval_whose_index_update_was_lost_is_indexed_at_next_start(
    app, tmp_path, moderator, monkeypatch
):
    with app.test_request_context():
        provider = make_provider(contact_email="owner@example.net", pitch_fr="x")
        update = applications.submit_update(
            provider.id, {**snapshot(provider), "name": "Renommé Après Crash"}, "fr"
        )
        # The worker dies after the commit, before touching the index.
        monkeypatch.setattr(indexing, "apply_committed", lambda: None)
        moderation.approve(update.id, moderator, update.version)
        provider_id = provider.id
    monkeypatch.undo()
    app.extensions["directory.search"].index.close()
    # A new worker starts on the same database and index.
    restarted = make_app(tmp_path, SEARCH_REBUILD_ON_START=True)
    with restarted.app_context():
        hits = search.search(SearchRequest(text="renommé")).hits
        assert [hit.provider_id for hit in hits] == [provider_id]


def test_an_unreachable_database_gives_a_clear_503(tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "SEARCH_REBUILD_ON_START": False,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/missing/dir/db.sqlite3",
            "SEARCH_INDEX_DIR": str(tmp_path / "index"),
        }
    )
    response = app.test_client().get("/search?lang=en")
    assert response.status_code == 503
    assert html(response).h1.get_text() == "Temporarily unavailable"


def _pending_application(client, app) -> int:
    assert client.post("/apply", data=application_form(client)).status_code == 302
    with app.app_context():
        return db.session.scalar(select(func.max(Application.id)))


def _approve_through_http(client, application_id: int):
    path = f"/moderation/items/{application_id}"
    page = html(client.get(path))
    return client.post(
        f"{path}/approve",
        data={
            "csrf_token": page.select_one("input[name=csrf_token]")["value"],
            "version": page.select_one("input[name=version]")["value"],
            "message": "",
        },
    )


PUBLIC_PAGES = ("/search?q=claviers", "/", "/api/v1/providers?q=claviers", "/feeds/providers.atom")


@pytest.mark.filterwarnings("ignore::ResourceWarning")
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.parametrize("damage", [_truncate_segments, _delete_segments, _garbage_toc])
def test_an_approval_on_a_damaged_index_succeeds_and_the_index_heals_at_once(
    app, client, auth, moderator, damage
):
    with app.app_context():
        for number in range(3):
            make_provider(description_fr=f"Hébergement numéro {number}.")
    application_id = _pending_application(client, app)
    assert client.get("/search?q=hebergement").status_code == 200
    app.extensions["directory.search"].index.close()
    damage(Path(app.config["SEARCH_INDEX_DIR"]))

    auth.login()
    approval = _approve_through_http(client, application_id)
    assert approval.status_code == 302
    # Each public page answers (503 only while a rebuild runs), and heals within one request.
    for path in PUBLIC_PAGES:
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
    with app.app_context():
        assert len(search.search(SearchRequest(text="hebergement")).hits) == 4
        assert len(search.search(SearchRequest(text="claviers")).hits) == 1
    app.extensions["directory.search"].index.close()
    damage(Path(app.config["SEARCH_INDEX_DIR"]))
    result = app.test_cli_runner().invoke(args=["reindex"])
    assert result.exit_code == 0, result.output
    assert "4 providers indexed." in result.output


@pytest.mark.filterwarnings("ignore::ResourceWarning")
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.parametrize(
    "damage",
    [_delete, _truncate_segments, _delete_segments, _garbage_toc, _corrupt_toc, _truncate_toc],
)
def test_reindex_and_start_up_work_whatever_state_the_folder_is_in(app, tmp_path, damage):
    with app.app_context():
        made = make_provider(description_fr="Formation.")
    index = Path(app.config["SEARCH_INDEX_DIR"])
    app.extensions["directory.search"].index.close()
    damage(index)
    (index.parent / "index.lock").write_text("left behind")
    restarted = make_app(tmp_path, SEARCH_REBUILD_ON_START=True)
    with restarted.app_context():
        assert [h.provider_id for h in search.search(SearchRequest(text="formation")).hits] == [
            made.id
        ]
    restarted.extensions["directory.search"].index.close()
    damage(index)
    result = app.test_cli_runner().invoke(args=["reindex"])
    assert result.exit_code == 0, result.output
    damage(index)
    result = app.test_cli_runner().invoke(args=["reindex", "--if-needed"])
    assert result.exit_code == 0, result.output
    assert "rebuilt" in result.output


def test_a_read_only_database_file_gives_a_503_with_a_message(tmp_path):
    # A SQLite file even in the PostgreSQL pass: that is where a file can be read-only.
    database = tmp_path / "read-only.sqlite3"
    writable = make_app(tmp_path, SQLALCHEMY_DATABASE_URI=f"sqlite:///{database}")
    writable.extensions["directory.search"].index.close()
    read_only = create_app(
        {
            **worker_config(writable),
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///file:{database}?mode=ro&uri=true",
            "SQLALCHEMY_ENGINE_OPTIONS": {},
        }
    )
    client = read_only.test_client()
    assert client.get("/search?lang=en").status_code == 200
    response = client.post("/apply?lang=en", data=application_form(client))
    assert response.status_code == 503
    assert html(response).h1.get_text() == "Temporarily unavailable"


def _refuse(*args, **kwargs):
    raise PermissionError(13, "Read-only file system")


# Tests run as root, for whom chmod makes nothing read-only: the index's own file operations
# are made to fail as they would on a read-only folder.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_an_index_folder_that_cannot_be_written_costs_no_approval_and_no_500(
    app, client, auth, moderator, monkeypatch
):
    with app.app_context():
        make_provider(description_fr="Hébergement.")
    application_id = _pending_application(client, app)
    monkeypatch.setattr(SearchIndex, "_writer", _refuse)
    monkeypatch.setattr(SearchIndex, "_build_fresh", _refuse)
    auth.login()
    assert _approve_through_http(client, application_id).status_code == 302
    assert client.get("/search?q=hebergement").status_code == 200
    result = app.test_cli_runner().invoke(args=["reindex"])
    assert result.exit_code == 1
    assert "The index cannot be written" in result.output
    with app.app_context():
        assert db.session.get(Application, application_id).provider_id is not None


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_an_index_folder_that_cannot_be_read_gives_a_503_with_a_message(app, client, monkeypatch):
    app.extensions["directory.search"].index.close()
    monkeypatch.setattr(SearchIndex, "_open", _refuse)
    monkeypatch.setattr(SearchIndex, "_build_fresh", _refuse)
    page = client.get("/search?q=x&lang=en")
    assert page.status_code == 503
    assert "being rebuilt" in html(page).main.get_text()
    api = client.get("/api/v1/providers?q=x&lang=en")
    assert api.status_code == 503
    assert api.get_json()["error"]["code"] == 503
