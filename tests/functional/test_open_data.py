"""Exports, feeds, sitemap, OpenSearch, the embeddable widget and the CSV import."""

import csv
import io
import json
import xml.etree.ElementTree as ET

from sqlalchemy import func, select

from directory.extensions import db
from directory.models import Application, ApplicationState, Provider
from directory.services import providers
from directory.services.public_data import CSV_COLUMNS
from tests.conftest import SEED_DIR, html

ATOM = "{http://www.w3.org/2005/Atom}"


def _csv_rows(body: str) -> list[dict]:
    lines = [line for line in body.splitlines() if not line.startswith("#")]
    return list(csv.DictReader(lines))


def test_csv_export_has_every_provider_and_the_licence(seeded_app, seeded_client):
    response = seeded_client.get("/export/providers.csv")
    body = response.get_data(as_text=True)
    assert response.mimetype == "text/csv"
    # The first line is the header row, so that spreadsheets read the columns; the licence
    # is in a Link header.
    assert next(csv.reader(body.splitlines()[:1])) == list(CSV_COLUMNS)
    assert response.headers["Link"] == (
        '<https://www.etalab.gouv.fr/licence-ouverte-open-licence/>; rel="license"'
    )
    rows = _csv_rows(body)
    with seeded_app.app_context():
        assert len(rows) == providers.count()
    assert tuple(rows[0]) == CSV_COLUMNS
    assert "contact_email" not in body


def test_json_export_states_its_licence(seeded_client):
    data = seeded_client.get("/export/providers.json").get_json()
    assert data["licence"]["name"].startswith("Licence Ouverte")
    assert len(data["providers"]) >= 60
    assert all("contact_email" not in p for p in data["providers"])


def test_atom_feed_per_service_in_english(seeded_client):
    response = seeded_client.get("/feeds/providers.atom?service=training&lang=en")
    feed = ET.fromstring(response.data)
    entries = feed.findall(f"{ATOM}entry")
    assert entries
    assert all(
        any(c.get("term") == "training" for c in entry.findall(f"{ATOM}category"))
        for entry in entries
    )
    updated = [entry.find(f"{ATOM}updated").text for entry in entries]
    assert updated == sorted(updated, reverse=True)
    assert "New and updated providers" in feed.find(f"{ATOM}title").text


def test_atom_feed_per_region(seeded_client):
    feed = ET.fromstring(seeded_client.get("/feeds/providers.atom?region=53&wide=0").data)
    assert 0 < len(feed.findall(f"{ATOM}entry")) < 20


def test_sitemap_lists_provider_pages_with_language_alternates(seeded_app, seeded_client):
    root = ET.fromstring(seeded_client.get("/sitemap.xml").data)
    urls = root.findall("{http://www.sitemaps.org/schemas/sitemap/0.9}url")
    with seeded_app.app_context():
        assert (
            len(urls) == providers.count() + 7
        )  # home, results, about, how to apply, charter, FAQ, apply
    alternates = urls[-1].findall("{http://www.w3.org/1999/xhtml}link")
    assert {a.get("hreflang") for a in alternates} == {"fr", "en", "x-default"}


def test_opensearch_is_linked_from_every_page(seeded_client):
    link = html(seeded_client.get("/")).select_one('link[rel="search"]')
    description = ET.fromstring(seeded_client.get(link["href"]).data)
    url = description.find("{http://a9.com/-/spec/opensearch/1.1/}Url")
    assert "{searchTerms}" in url.get("template")


def test_the_widget_can_be_framed_and_lists_matches(seeded_client):
    response = seeded_client.get("/embed?service=hosting&lang=en")
    page = html(response)
    assert response.headers["Content-Security-Policy"].endswith("frame-ancestors *")
    assert "X-Frame-Options" not in response.headers
    assert page.html["lang"] == "en"
    assert page.select(".embed-item a[target=_blank]")
    assert "service=hosting" in page.select("main a")[-1]["href"]


def test_the_export_imports_back_into_the_queue(app, runner, seeded_client, tmp_path):
    export = tmp_path / "providers.csv"
    export.write_text(seeded_client.get("/export/providers.csv").get_data(as_text=True))
    result = runner.invoke(args=["import-csv", str(export)])
    assert result.exit_code == 0, result.output
    with app.app_context():
        queued = db.session.scalars(select(Application)).all()
        assert len(queued) == len(_csv_rows(export.read_text()))
        assert {a.state for a in queued} == {ApplicationState.PENDING}
        assert db.session.scalar(select(func.count(Provider.id))) == 0


def test_one_bad_row_imports_nothing_and_names_its_line(app, runner, tmp_path):
    rows = json.loads((SEED_DIR / "providers.json").read_text())[:3]
    buffer = io.StringIO()
    writer = csv.DictWriter(
        buffer,
        fieldnames=[
            "name",
            "kind",
            "pitch_fr",
            "public_email",
            "services",
            "regions",
            "work_mode",
            "price_models",
            "audiences",
            "languages",
            "postcode",
        ],
    )
    writer.writeheader()
    for number, row in enumerate(rows):
        writer.writerow(
            {
                "name": row["name"],
                "kind": row["kind"],
                "pitch_fr": "Hébergement.",
                "public_email": "contact@example.org",
                "services": "|".join(row["services"]),
                "regions": "53",
                "work_mode": row["work_mode"],
                "price_models": "|".join(row["price_models"]),
                "audiences": "|".join(row["audiences"]),
                "languages": "fr",
                "postcode": "123" if number == 1 else "29000",
            }
        )
    path = tmp_path / "import.csv"
    path.write_text(buffer.getvalue())
    result = runner.invoke(args=["import-csv", str(path)])
    assert result.exit_code != 0
    assert "line 3, postcode: A French postcode has five digits" in result.output
    assert "nothing imported" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count(Application.id))) == 0
