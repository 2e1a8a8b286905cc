"""A provider chooses, in its application and its updates, whether its public email shows
beside the contact form; moderators read the choice in plain words."""

from sqlalchemy import select

from directory.extensions import db
from directory.models import Application, Provider
from directory.services.provider_data import changed_fields, snapshot
from tests.conftest import html
from tests.factories import make_provider
from tests.forms import application_form
from tests.functional.test_pending_updates import _decide, _edit_path, _open_update, _send


def test_the_application_form_offers_the_choice_and_stores_it(app, client):
    page = html(client.get("/apply"))
    choices = page.select("input[name=show_public_email]")
    assert [c["value"] for c in choices] == ["1", "0"]
    assert choices[0].has_attr("checked")
    response = client.post("/apply", data=application_form(client, show_public_email="0"))
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalars(select(Application)).one().data["show_public_email"] is False


def test_an_update_hiding_the_email_shows_in_plain_words_then_applies(app, client, auth, moderator):
    provider_id, path = _edit_path(app)
    assert html(client.get(path)).select_one("#show_public_email-0").has_attr("checked")
    _send(client, path, show_public_email="0")
    update_id = _open_update(app)
    auth.login()
    item = html(client.get(f"/moderation/items/{update_id}?lang=en"))
    [row] = item.select("table.diff tbody tr")
    assert row.select_one("th").get_text(strip=True) == "Contact on the page"
    assert row.select_one("td.before").get_text(strip=True) == (
        "Show my public email beside the contact form"
    )
    assert row.select_one("td.after").get_text(strip=True).startswith("Show only the contact form")
    assert _decide(client, update_id, "approve").status_code == 302
    with app.app_context():
        provider = db.session.get(Provider, provider_id)
        assert provider.show_public_email is False
        public_email, slug = provider.public_email, provider.slug
    assert public_email not in client.get(f"/providers/{slug}").get_data(as_text=True)


def test_data_written_before_the_choice_existed_means_shown(app):
    with app.app_context():
        provider = make_provider()
        old = {k: v for k, v in snapshot(provider).items() if k != "show_public_email"}
        assert changed_fields(old, snapshot(provider)) == []


def test_a_provider_showing_only_the_form_publishes_its_email_nowhere(app, client):
    with app.app_context():
        make_provider(
            slug="discrete", public_email="bonjour@discrete.example", show_public_email=False
        )
        make_provider(slug="visible", public_email="bonjour@visible.example")
    for path in (
        "/providers/discrete",
        "/api/v1/providers/discrete",
        "/api/v1/providers",
        "/export/providers.json",
        "/export/providers.csv",
        "/feeds/providers.atom",
    ):
        body = client.get(path).get_data(as_text=True)
        assert "bonjour@discrete.example" not in body, path
    assert client.get("/api/v1/providers/visible").get_json()["email"] == "bonjour@visible.example"
