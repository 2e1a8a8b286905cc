"""WCAG markup the templates promise on every page: landmarks, skip link, labels, errors tied
to their fields, the language of texts in the other language. Browser checks (axe-core,
keyboard) live in tests/browser."""

import pytest

from tests.conftest import html
from tests.factories import make_provider
from tests.forms import application_form

PUBLIC_PAGES = ["/", "/search", "/about", "/how-to-apply", "/faq", "/legal", "/privacy", "/apply"]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_landmarks_skip_link_and_one_h1(client, path):
    page = html(client.get(path))
    skip = page.select_one("body > a.skip-link")
    assert skip is not None and skip["href"] == "#content"
    assert page.select_one("main#content")
    assert len(page.select("header.site-header")) == 1
    assert len(page.select("footer.site-footer")) == 1
    assert all(nav.get("aria-label") for nav in page.select("nav"))
    assert len(page.select("h1")) == 1


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_every_visible_field_has_a_label(client, path):
    page = html(client.get(path))
    fields = [
        field
        for field in page.select("input, select, textarea")
        if field.get("type") != "hidden" and not field.find_parent(class_="honeypot")
    ]
    for field in fields:
        labelled = field.get("aria-label") or page.select_one(f'label[for="{field["id"]}"]')
        assert labelled, (path, field)
    if path in ("/search", "/apply"):
        assert len(fields) > 20


def test_field_errors_are_tied_to_their_field_and_summarised(client):
    response = client.post("/apply", data=application_form(client, name="", public_email=None))
    page = html(response)
    summary = page.select_one("#error-summary[role=alert]")
    assert summary is not None
    name = page.select_one("#name")
    assert name["aria-invalid"] == "true"
    error_id = next(i for i in name["aria-describedby"].split() if i.endswith("-error"))
    assert page.select_one(f"#{error_id}").get_text(strip=True)
    assert summary.select_one('a[href="#name"]')


def test_texts_in_the_other_language_carry_their_lang(app, client):
    with app.app_context():
        make_provider(name="Only English", pitch_en="Hosting for associations.")
        make_provider(name="Bilingue", pitch_fr="Hébergement.", pitch_en="Hosting.")
    page = html(client.get("/search?lang=fr"))
    cards = {
        card.select_one(".card-title").get_text(strip=True): card for card in page.select(".card")
    }
    assert cards["Only English"].select_one(".card-pitch span")["lang"] == "en"
    assert not cards["Bilingue"].select_one(".card-pitch span").has_attr("lang")
    assert page.html["lang"] == "fr"


def test_the_results_count_is_announced(seeded_client):
    count = html(seeded_client.get("/search?service=hosting")).select_one("#results-count")
    assert count["role"] == "status" and count["aria-live"] == "polite"
