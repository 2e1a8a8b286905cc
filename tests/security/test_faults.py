"""Faults: the site keeps answering, nothing committed is lost, the index heals itself."""

import shutil
import time
from pathlib import Path

import pytest

from directory import create_app, search
from directory.search import SearchRequest
from directory.services import applications, moderation, providers
from directory.services.provider_data import snapshot
from tests.conftest import html, make_app
from tests.factories import make_provider


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


def _truncate_segments(index: Path):
    for path in index.glob("*.seg"):
        path.write_bytes(path.read_bytes()[:40])


def _delete_segments(index: Path):
    for path in index.glob("*.seg"):
        path.unlink()


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
        monkeypatch.setattr(providers, "sync_index", lambda **kwargs: None)
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
