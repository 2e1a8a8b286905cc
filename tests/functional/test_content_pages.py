"""Content pages in both languages: how to apply, charter, FAQ, legal notice, privacy."""

import pytest

from tests.conftest import html, make_app

PAGES = {
    "/how-to-apply": ("Comment figurer dans l’annuaire", "How to apply"),
    "/charter": ("Charte de l'annuaire", "The directory's charter"),
    "/faq": ("Questions fréquentes", "Frequently asked questions"),
    "/legal": ("Mentions légales", "Legal notice"),
    "/privacy": ("Confidentialité et données personnelles", "Privacy and personal data"),
}


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize(("lang", "index"), [("fr", 0), ("en", 1)])
def test_each_page_renders_in_both_languages(client, path, lang, index):
    response = client.get(f"{path}?lang={lang}")
    assert response.status_code == 200
    page = html(response)
    assert page.html["lang"] == lang
    assert page.select_one("main h1").get_text(strip=True) == PAGES[path][index]


def test_the_footer_links_every_content_page(client):
    links = {a["href"] for a in html(client.get("/")).select(".site-footer a")}
    assert {"/how-to-apply", "/charter", "/faq", "/legal", "/privacy"} <= links


def test_the_apply_form_links_to_how_to_apply(client):
    assert html(client.get("/apply")).select_one("main a[href='/how-to-apply']")


def test_the_legal_notice_shows_placeholders_for_missing_settings(client):
    page = html(client.get("/legal?lang=en"))
    placeholders = [p.get_text(" ", strip=True) for p in page.select(".placeholder")]
    assert "To be completed by the operator (setting SITE_HOST_NAME)" in placeholders
    assert "Association Libre Assos" in page.select_one("main dl").get_text()


def test_the_french_legal_notice_has_no_english_word(client):
    text = html(client.get("/legal?lang=fr")).select_one("main").get_text(" ")
    assert "fictitious" not in text


def test_the_legal_notice_shows_the_operators_settings(tmp_path):
    app = make_app(
        tmp_path,
        SITE_HOST_NAME="Hébergeur Coop",
        SITE_HOST_ADDRESS="1 rue du Serveur, 29000 Quimper",
        SITE_CONTACT_EMAIL="contact@libre-assos.example.org",
    )
    try:
        page = html(app.test_client().get("/legal"))
        text = page.select_one("main").get_text(" ", strip=True)
        assert "Hébergeur Coop" in text and "1 rue du Serveur, 29000 Quimper" in text
        assert page.select_one("main a[href='mailto:contact@libre-assos.example.org']")
        assert "SITE_HOST_NAME" not in text
    finally:
        app.extensions["directory.search"].index.close()


def test_privacy_quotes_the_real_retention_settings(tmp_path):
    app = make_app(
        tmp_path, PURGE_REJECTED_DAYS=91, PURGE_ABANDONED_DAYS=730, OUTBOX_RETENTION_DAYS=3
    )
    try:
        text = html(app.test_client().get("/privacy?lang=en")).select_one("main").get_text()
        assert "erased 3 months after the decision" in text
        assert "erased 24 months later" in text
        assert "valid for 30 days" in text
        assert "a copy is kept 3 days after sending" in text
    finally:
        app.extensions["directory.search"].index.close()
