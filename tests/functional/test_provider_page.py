"""The public page of a provider."""

import json

import pytest

from directory.extensions import db
from tests.conftest import html
from tests.factories import make_provider


@pytest.fixture
def provider(app):
    with app.app_context():
        made = make_provider(
            name="Coop'Test & Cie",
            pitch_fr="Hébergement éthique.",
            pitch_en="",
            description_fr="Nous hébergeons.\nEt nous formons.",
            description_en="",
            city="Quimper",
            postcode="29000",
            public_phone="02 61 91 00 00",
            regions=["53"],
            software=["Nextcloud"],
            chatons_member=True,
        )
        db.session.expunge_all()
        return made


def test_everything_public_is_shown(client, provider):
    page = html(client.get(f"/providers/{provider.slug}"))
    assert page.h1.get_text() == "Coop'Test & Cie"
    assert [p.get_text() for p in page.select(".description p")] == [
        "Nous hébergeons.",
        "Et nous formons.",
    ]
    website = page.select_one(".contact a[rel]")
    assert website["href"] == provider.website
    assert website["rel"] == ["noopener", "nofollow", "ugc"]
    assert page.select_one(f'a[href="mailto:{provider.public_email}"]')
    assert page.select_one('a[href="tel:0261910000"]')
    assert "Bretagne" in page.select_one(".facts").get_text()
    assert page.select_one(".badge").get_text() == "Membre des CHATONS"


def test_english_page_falls_back_to_french_and_says_so(client, provider):
    page = html(client.get(f"/providers/{provider.slug}?lang=en"))
    assert page.select_one(".description")["lang"] == "fr"
    assert page.select_one(".fallback-note").get_text() == "This text is only available in French."
    assert page.select_one(".lead span")["lang"] == "fr"


def test_json_ld_describes_the_provider(client, provider):
    page = html(client.get(f"/providers/{provider.slug}"))
    data = json.loads(page.select_one('script[type="application/ld+json"]').string)
    assert data["@type"] == "Organization"
    assert data["name"] == "Coop'Test & Cie"
    assert data["address"]["postalCode"] == "29000"
    assert "Nextcloud" in data["knowsAbout"]


def test_json_ld_cannot_close_its_script(app, client):
    with app.app_context():
        made = make_provider(name="</script><script>alert(1)</script>")
    body = client.get(f"/providers/{made.slug}").get_data(as_text=True)
    assert "</script><script>" not in body


def test_a_non_http_website_is_not_linked(app, client):
    with app.app_context():
        made = make_provider(website="javascript:alert(1)")
    page = html(client.get(f"/providers/{made.slug}"))
    assert not page.select('a[href^="javascript"]')


def test_unknown_provider_is_404(client):
    assert client.get("/providers/nobody").status_code == 404


def test_all_providers_leads_back_to_the_search_the_visitor_came_from(client, provider):
    page = f"/providers/{provider.slug}"
    came_from = "http://localhost/search?q=h%C3%A9bergement&region=53&page=2"
    back = html(client.get(page, headers={"Referer": came_from})).select_one(".breadcrumb a")
    assert back["href"] == "/search?q=h%C3%A9bergement&region=53&page=2"
    # Anything else (another site, another page, no referrer) leads to the plain results.
    for referrer in ("https://evil.example/search?q=x", "http://localhost/about?q=x", None):
        headers = {"Referer": referrer} if referrer else {}
        back = html(client.get(page, headers=headers)).select_one(".breadcrumb a")
        assert back["href"] == "/search"
    hostile = 'http://localhost/search?q="><script>&_anchor=x'
    back = html(client.get(page, headers={"Referer": hostile})).select_one(".breadcrumb a")
    assert back["href"] == "/search?q=%22%3E%3Cscript%3E&_anchor=x"


def test_the_contact_box_comes_before_the_description(client, provider):
    page = html(client.get(f"/providers/{provider.slug}"))
    layout = page.select_one(".provider-layout")
    order = [child["class"][0] for child in layout.find_all(recursive=False)]
    assert order == ["provider-side", "provider-main"]


def test_cards_and_pages_say_which_tools_the_software_replaces(app, client):
    with app.app_context():
        make_provider(slug="visio", name="Visio Libre", software=["Jitsi Meet"])
    page = html(client.get("/providers/visio?lang=en"))
    line = page.select_one(".alternatives").get_text(strip=True)
    assert line.startswith("Alternative to Zoom, Microsoft Teams, Google Meet, Skype")
    card = html(client.get("/search?q=visio+libre&lang=en")).select_one(".card-alternatives")
    assert card.get_text(strip=True) == "Alternative to Zoom, Microsoft Teams, Google Meet, Skype"
