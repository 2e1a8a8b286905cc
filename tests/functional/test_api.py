"""The JSON API, on the seed data, checked against its OpenAPI description by schemathesis."""

from datetime import datetime

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from directory.services import applications, providers
from tests.factories import make_provider


def test_every_answer_matches_the_openapi_description(seeded_app):
    """schemathesis generates requests from the description and validates every answer
    (status codes, headers, JSON schema, no server error). Its pytest plugin does not run on
    pytest 9 yet, hence the explicit loop over operations."""
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", seeded_app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 3
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
        def check(case):
            # schemathesis announces requests' default "gzip, deflate, zstd" but its
            # in-process (WSGI) transport does not decode: compression has its own tests.
            case.call_and_validate(headers={"Accept-Encoding": "identity"})

        check()


def test_the_list_uses_the_search_page_code_path(seeded_client):
    page = seeded_client.get("/api/v1/providers?q=nextcloud&service=hosting&per_page=5").get_json()
    assert page["per_page"] == 5
    assert len(page["items"]) == min(5, page["total"])
    assert all("hosting" in item["services"] for item in page["items"])
    hosting = next(o for o in page["facets"]["service"] if o["value"] == "hosting")
    assert hosting["selected"] is True
    assert hosting["count"] == page["total"]


def test_a_provider_by_slug_with_iso_dates(seeded_app, seeded_client):
    with seeded_app.app_context():
        slug = providers.get_many([1])[0].slug
    record = seeded_client.get(f"/api/v1/providers/{slug}").get_json()
    assert record["id"] == slug
    assert record["created"].endswith("Z")
    assert "contact_email" not in record


def test_unknown_provider_is_a_json_404(seeded_client):
    response = seeded_client.get("/api/v1/providers/nobody?lang=en")
    assert response.status_code == 404
    assert response.get_json()["error"]["title"] == "Page not found"


def test_etag_and_last_modified_give_304(seeded_client):
    first = seeded_client.get("/api/v1/providers?region=53")
    assert first.headers["Access-Control-Allow-Origin"] == "*"
    again = seeded_client.get(
        "/api/v1/providers?region=53", headers={"If-None-Match": first.headers["ETag"]}
    )
    assert again.status_code == 304
    since = seeded_client.get(
        "/api/v1/providers?region=53", headers={"If-Modified-Since": first.headers["Last-Modified"]}
    )
    assert since.status_code == 304


def test_taxonomy_has_both_languages(seeded_client):
    data = seeded_client.get("/api/v1/taxonomy").get_json()
    training = next(s for s in data["services"] if s["code"] == "training")
    assert training["label"] == {"fr": "Formation", "en": "Training"}
    assert len(data["regions"]) == 18
    assert sum(len(r["departements"]) for r in data["regions"]) == 101


def test_the_audience_facet_filters_and_counts(seeded_client):
    page = seeded_client.get("/api/v1/providers?audience=public_bodies&per_page=100").get_json()
    assert page["total"] > 0
    assert all("public_bodies" in item["audiences"] for item in page["items"])
    option = next(o for o in page["facets"]["audience"] if o["value"] == "public_bodies")
    assert option["selected"] is True
    assert option["count"] == page["total"]


def test_the_description_lists_every_facet_parameter(seeded_client):
    spec = seeded_client.get("/api/openapi.json").get_json()
    names = [p["name"] for p in spec["paths"]["/api/v1/providers"]["get"]["parameters"]]
    assert {"service", "region", "dept", "kind", "price", "audience", "mode", "chatons"} <= set(
        names
    )


@pytest.mark.parametrize(
    "query",
    ["lang=de", "wide=maybe", "sort=drop", "page=0", "per_page=1000", "page=abc", "asis=yes"],
)
def test_values_the_description_forbids_are_refused_with_a_message(seeded_client, query):
    response = seeded_client.get(f"/api/v1/providers?{query}")
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == 400
    assert query.split("=")[0] in error["message"]


def test_the_taxonomy_publishes_the_vocabulary(seeded_client):
    data = seeded_client.get("/api/v1/taxonomy").get_json()
    zoom = next(e for e in data["vocabulary"] if e["name"] == "Zoom")
    assert zoom["services"] == ["videoconference"]
    assert "Jitsi Meet" in zoom["software"]
    forms = next(e for e in data["vocabulary"] if e["name"] == "Google Forms")
    assert "formulaire" in forms["words"]


def test_a_removal_moves_last_modified_so_no_cache_keeps_the_removed_entry(app, client):
    with app.app_context():
        make_provider(slug="older", updated_at=datetime(2025, 1, 1))
        newest = make_provider(slug="newer", updated_at=datetime(2025, 6, 1))
    first = client.get("/api/v1/providers")
    with app.test_request_context():
        applications.request_removal(newest.id, "fr")
    # It used to go back to the older entry's date: a cache asking "modified since?" got 304
    # and kept showing the removed entry.
    since = client.get(
        "/api/v1/providers", headers={"If-Modified-Since": first.headers["Last-Modified"]}
    )
    assert since.status_code == 200
    assert [p["id"] for p in since.get_json()["items"]] == ["older"]
    for path in ("/export/providers.csv", "/export/providers.json"):
        later = client.get(path, headers={"If-Modified-Since": first.headers["Last-Modified"]})
        assert later.status_code == 200, path
