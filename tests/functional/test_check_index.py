"""flask check-index: reports what differs between the index and the database, and repairs it."""

import shutil
from datetime import datetime

from directory import search
from directory.extensions import db
from directory.search import SearchRequest
from tests.factories import make_provider


def _ids(text: str = "") -> set[int]:
    return {hit.provider_id for hit in search.search(SearchRequest(text=text, per_page=50)).hits}


def test_check_index_reports_and_repairs_each_kind_of_difference(app, runner):
    with app.app_context():
        kept = make_provider(name="Toujours Là").id
        dropped = make_provider(name="Document Perdu").id
        outdated = make_provider(name="Ancien Nom")
        hidden = make_provider(name="Plus Publié")
        search.remove_providers([dropped])
        outdated.name, outdated.updated_at = "Nouveau Nom", datetime(2026, 1, 2)
        hidden.published = False
        db.session.commit()
        outdated, hidden = outdated.id, hidden.id

    result = runner.invoke(args=["check-index"])
    assert result.exit_code == 1
    assert f"1 providers missing from the index: {dropped}" in result.output
    assert f"1 providers stale in the index: {outdated}" in result.output
    assert f"1 providers in the index but not published: {hidden}" in result.output

    result = runner.invoke(args=["check-index", "--repair"])
    assert result.exit_code == 0, result.output
    assert "Repaired" in result.output
    with app.app_context():
        assert _ids() == {kept, dropped, outdated}
        assert _ids("nouveau") == {outdated}
        assert _ids("ancien") == set()

    result = runner.invoke(args=["check-index"])
    assert result.exit_code == 0
    assert "The index matches the database." in result.output
    assert "0 providers missing from the index." in result.output


def test_check_index_on_an_empty_directory_says_it_matches(app, runner):
    """A new directory in production, before its first approval: its index holds no
    document, which Whoosh cannot give a column of. Monitoring with check-index alerted
    ("cannot be read: run reindex") and reindex could not make it pass."""
    assert runner.invoke(args=["reindex"]).exit_code == 0
    result = runner.invoke(args=["check-index"])
    assert result.exit_code == 0, result.output
    assert "The index matches the database." in result.output


def test_check_index_on_an_unreadable_index_says_to_rebuild(app, runner):
    with app.app_context():
        make_provider()
    app.extensions["directory.search"].index.close()
    shutil.rmtree(app.config["SEARCH_INDEX_DIR"])
    result = runner.invoke(args=["check-index"])
    assert result.exit_code == 1
    assert "run reindex" in result.output
