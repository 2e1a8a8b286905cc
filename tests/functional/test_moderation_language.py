"""Moderation pages in plain language: labels instead of codes, an audit log that names the
moderator and the application, queue columns that fit the view."""

import pytest
from sqlalchemy import select

from directory.extensions import db
from directory.models import Application
from tests.conftest import html
from tests.forms import application_form


def _apply(client) -> int:
    assert client.post("/apply", data=application_form(client)).status_code == 302
    with client.application.app_context():
        return db.session.scalar(select(Application.id).order_by(Application.id.desc()))


def _decide(client, application_id, decision, message=""):
    path = f"/moderation/items/{application_id}"
    page = html(client.get(path))
    form = {
        "csrf_token": page.select_one("input[name=csrf_token]")["value"],
        "version": page.select_one("input[name=version]")["value"],
        "message": message,
    }
    return client.post(f"{path}/{decision}", data=form)


@pytest.fixture
def logged_in(client, auth, moderator):
    assert auth.login().status_code == 302
    return client


def test_the_item_page_shows_labels_not_codes(logged_in):
    application_id = _apply(logged_in)
    page = html(logged_in.get(f"/moderation/items/{application_id}?lang=en"))
    cells = {
        row.th.get_text(strip=True): row.td.get_text(" ", strip=True)
        for row in page.select("table.fields tr")
    }
    assert cells["Kind of structure"] == "Association"
    assert cells["Way of working"] == "On site and remotely"
    assert cells["Price"] == "Pay what you can"
    assert cells["Works with"] == "Small associations"
    assert cells["Languages spoken"] == "Breton, French"
    assert cells["Services"] == "Hosting of free-software services, Training"
    assert cells["Régions served"] == "Brittany"


def test_the_audit_log_names_the_moderator_and_the_application(logged_in):
    application_id = _apply(logged_in)
    _decide(logged_in, application_id, "request-changes", "Précisez vos tarifs.")
    page = html(logged_in.get("/moderation/audit?lang=en"))
    (row,) = [
        tr for tr in page.select("table.audit tbody tr") if "Changes asked for" in tr.get_text()
    ]
    cells = [td.get_text(" ", strip=True) for td in row.select("td")]
    assert cells[1] == "moderator@example.org"
    link = row.select_one(f"a[href='/moderation/items/{application_id}']")
    assert link is not None and "-" in link.get_text()  # its reference
    assert "#" not in cells[1]


def test_queue_columns_fit_the_view(logged_in):
    application_id = _apply(logged_in)
    waiting = html(logged_in.get("/moderation/?lang=en"))
    assert "Waiting for" in [th.get_text() for th in waiting.select("table.queue thead th")]
    _decide(logged_in, application_id, "reject", "Hors sujet.")
    refused = html(logged_in.get("/moderation/?state=rejected&lang=en"))
    headers = [th.get_text() for th in refused.select("table.queue thead th")]
    assert "Waiting for" not in headers
    assert "Decided on" in headers
    (row,) = refused.select("table.queue tbody tr")
    assert len(row.select("td")) == len(headers)
