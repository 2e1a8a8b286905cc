"""export and import: a round trip loses nothing."""

import json

from directory import search
from directory.extensions import db
from directory.search import SearchRequest
from directory.services.backup import export_all
from tests.conftest import make_app
from tests.factories import make_provider
from tests.forms import application_form


def test_a_round_trip_loses_nothing(app, client, runner, moderator, tmp_path):
    runner.invoke(args=["seed"])
    client.post("/apply", data=application_form(client))
    with app.app_context():
        make_provider(contact_email="private@example.net", software=["Ünïcode Tool"])
        before = export_all()["tables"]
    path = tmp_path / "backup.json"
    assert runner.invoke(args=["export", str(path)]).exit_code == 0

    (tmp_path / "restored").mkdir()
    restored = make_app(tmp_path / "restored")
    result = restored.test_cli_runner().invoke(args=["import", str(path)])
    assert result.exit_code == 0, result.output
    with restored.app_context():
        after = export_all()["tables"]
        assert search.search(SearchRequest()).total == len(before["provider"])
    assert set(after) == set(before)
    for table, rows in before.items():
        assert after[table] == rows, table
    # The one sent above, and the seed's moderation history.
    assert [a["state"] for a in before["application"]].count("pending") == 1
    assert len(before["application"]) > 1
    assert len(before["moderator"]) == 1
    assert len(before["audit_entry"]) >= 2


def test_import_refuses_a_database_that_is_not_empty(app, runner, tmp_path):
    with app.app_context():
        make_provider()
    path = tmp_path / "backup.json"
    path.write_text(json.dumps({"format": "libre-assos-backup", "version": 1, "tables": {}}))
    result = runner.invoke(args=["import", str(path)])
    assert result.exit_code != 0
    assert "not empty" in result.output
    with app.app_context():
        assert (
            db.session.scalar(
                db.select(db.func.count()).select_from(db.metadata.tables["provider"])
            )
            == 1
        )
