"""Language selection: ?lang=, then the cookie, then Accept-Language, then French."""

import pytest
from flask import render_template_string
from flask_babel import force_locale

from tests.conftest import html, make_app


def test_french_is_the_default(seeded_client):
    page = html(seeded_client.get("/"))
    assert page.html["lang"] == "fr"
    assert page.select_one(".site-nav a").get_text() == "Trouver un prestataire"


def test_accept_language_picks_english(seeded_client):
    page = html(seeded_client.get("/", headers={"Accept-Language": "en-GB,en;q=0.8"}))
    assert page.html["lang"] == "en"
    assert page.select_one(".site-nav a").get_text() == "Find a provider"


def test_lang_parameter_wins_and_is_remembered_in_a_cookie(seeded_app):
    client = seeded_app.test_client()
    response = client.get("/about?lang=en", headers={"Accept-Language": "fr"})
    assert html(response).html["lang"] == "en"
    assert "lang=en" in response.headers["Set-Cookie"]
    later = client.get("/about", headers={"Accept-Language": "fr"})
    assert html(later).html["lang"] == "en"


def test_unknown_lang_is_ignored(seeded_client):
    assert html(seeded_client.get("/?lang=xx")).html["lang"] == "fr"


def test_the_language_switch_keeps_the_current_url(seeded_client):
    page = html(seeded_client.get("/search?q=formation&service=training&page=1"))
    switch = page.select_one(".language-switch a[lang=en]")["href"]
    assert switch.startswith("/search?")
    assert "q=formation" in switch
    assert "service=training" in switch
    assert "lang=en" in switch


def test_taxonomy_labels_follow_the_language(seeded_client):
    french = html(seeded_client.get("/search?lang=fr"))
    english = html(seeded_client.get("/search?lang=en"))
    assert "Formation" in french.select_one("label[for=f-service-training]").get_text()
    assert "Training" in english.select_one("label[for=f-service-training]").get_text()


def test_not_found_page_is_translated(seeded_client):
    french = seeded_client.get("/nowhere")
    english = seeded_client.get("/nowhere?lang=en")
    assert french.status_code == english.status_code == 404
    assert html(french).h1.get_text() == "Page introuvable"
    assert html(english).h1.get_text() == "Page not found"


def test_server_errors_are_translated(app, client):
    @app.get("/boom")
    def boom():
        raise RuntimeError("boom")

    response = client.get("/boom?lang=fr")
    assert response.status_code == 500
    assert html(response).h1.get_text() == "Une erreur est survenue"


def test_every_language_of_a_page_is_linked_by_an_absolute_url_from_public_url(tmp_path):
    public = "https://annuaire.example.org"
    client = make_app(tmp_path, PUBLIC_URL=public).test_client()
    page = html(client.get("/search?q=formation&region=53&lang=en", base_url=public))
    alternates = {
        link["hreflang"]: link["href"] for link in page.select("head link[rel=alternate][hreflang]")
    }
    page_url = f"{public}/search?q=formation&region=53"
    assert alternates == {
        "fr": f"{page_url}&lang=fr",
        "en": f"{page_url}&lang=en",
        # No language asked: the visitor's browser or cookie decides.
        "x-default": page_url,
    }


@pytest.mark.parametrize(
    "path",
    [
        "/help/",
        "/help/tools?want=leave",
        "/help/results?want=leave&tool=Zoom&remote=1",
        "/requests/new?provider=coop-num-armor",
        "/providers/coop-num-armor/report",
    ],
)
def test_the_new_pages_link_their_languages_by_absolute_urls(seeded_client, path):
    page = html(seeded_client.get(f"{path}{'&' if '?' in path else '?'}lang=en"))
    alternates = {
        link["hreflang"]: link["href"] for link in page.select("head link[rel=alternate][hreflang]")
    }
    page_url = f"http://localhost{path}"
    joint = "&" if "?" in path else "?"
    assert alternates == {
        "fr": f"{page_url}{joint}lang=fr",
        "en": f"{page_url}{joint}lang=en",
        "x-default": page_url,
    }


def test_templates_follow_a_forced_locale_and_come_back(app):
    """The templates' translations are looked up once per request (directory/i18n.py):
    a template rendered under force_locale (an email in its reader's language) must still
    be in that language, and the page's own language must come back after it."""
    template = (
        "{{ _('Search') }} / {{ ngettext('%(num)d provider found', '%(num)d providers found', 2) }}"
    )
    with app.test_request_context("/?lang=fr"):
        assert render_template_string(template) == "Rechercher / 2 prestataires trouvés"
        with force_locale("en"):
            assert render_template_string(template) == "Search / 2 providers found"
        assert render_template_string(template) == "Rechercher / 2 prestataires trouvés"
    with app.test_request_context("/?lang=en"):
        assert render_template_string(template) == "Search / 2 providers found"
