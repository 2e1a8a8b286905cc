"""Whole journeys in a real browser: searching, applying, moderating, and with the keyboard only."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.applicant import TYPED, choice, fill_application, make_logo, submit_application
from tests.browser.conftest import login
from tests.browser.keyboard import focused, tab_to
from tests.conftest import link_in

LANGS = pytest.mark.parametrize("lang", ["fr", "en"])
HEADINGS = {
    "fr": {"results": "Trouver un prestataire", "received": "Merci"},
    "en": {"results": "Find a provider", "received": "Thank you"},
}


@LANGS
def test_an_association_searches_filters_and_opens_a_provider(page, lang):
    page.goto(f"/?lang={lang}")
    page.locator("#q").fill("nextcloud")
    page.locator("#q").press("Enter")
    expect(page.locator("h1")).to_have_text(HEADINGS[lang]["results"])
    page.locator("input[name=service][value=hosting]").check()
    expect(page).to_have_url(re.compile(r"[?&]service=hosting"))
    # The région from the map; its box in the list of régions follows.
    page.locator('#region-map [data-region="53"]').click()
    expect(page).to_have_url(re.compile(r"service=hosting.*region=53|region=53.*service=hosting"))
    expect(page.locator("input[name=q]")).to_have_value("nextcloud")
    expect(page.locator("input[name=region][value='53']")).to_be_checked()
    expect(page.locator("#results-count")).to_contain_text(re.compile(r"[1-9]"))

    first = page.locator(".card-title a").first
    name = first.inner_text()
    first.click()
    expect(page.locator("h1")).to_have_text(name)
    expect(page.locator("html")).to_have_attribute("lang", lang)

    other = "en" if lang == "fr" else "fr"
    page.locator(f".language-switch a[hreflang={other}]").click()
    expect(page.locator("html")).to_have_attribute("lang", other)
    expect(page.locator("h1")).to_have_text(name)
    # The choice is remembered: the next page is in the chosen language too.
    page.goto("/search")
    expect(page.locator("html")).to_have_attribute("lang", other)


@LANGS
def test_a_provider_corrects_a_mistake_without_retyping(page, live_server, tmp_path, lang):
    logo = make_logo(tmp_path)
    page.goto(f"/apply?lang={lang}")
    fill_application(page, {**TYPED, "name": f"Octets {lang}", "postcode": "561"}, logo)
    submit_application(page)

    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary.locator("a[href='#postcode']")).to_be_visible()
    expect(page.locator("#postcode")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#postcode")).to_have_attribute(
        "aria-describedby", re.compile(r"\bpostcode-error\b")
    )
    # Everything else typed or ticked is still there.
    for field_id, value in TYPED.items():
        if field_id not in ("name", "postcode"):
            expect(page.locator(f"#{field_id}")).to_have_value(value)
    expect(page.locator("#name")).to_have_value(f"Octets {lang}")
    expect(choice(page, "regions", "53")).to_be_checked()
    expect(choice(page, "services", "training")).to_be_checked()
    expect(page.locator("#charter")).to_be_checked()

    summary.locator("a[href='#postcode']").click()
    page.locator("#postcode").fill("56100")
    # Browsers never keep a chosen file after a round trip: the page says so; choose it again.
    page.locator("#logo").set_input_files(logo)
    submit_application(page)
    expect(page.locator("h1")).to_contain_text(HEADINGS[lang]["received"])
    expect(page.locator("a[href^='/status/']")).to_be_visible()


def _open_item(desk, name: str) -> None:
    """Opens an application from the queue by the applicant's name."""
    desk.locator("table.queue tr", has_text=name).get_by_role("link").click()
    expect(desk.locator("main")).to_contain_text(name)


@LANGS
def test_moderation_round_trip_until_the_provider_is_found(
    page, browser, live_server, tmp_path, lang
):
    name = f"Serveurs du Trégor {lang}"
    contact = f"tregor-{lang}@prive.example.net"
    page.goto(f"/apply?lang={lang}")
    fill_application(page, {**TYPED, "name": name, "contact_email": contact}, make_logo(tmp_path))
    submit_application(page)
    status_path = link_in(live_server.emails_to(contact)[-1], "/status/")

    moderator = browser.new_context(base_url=live_server.url, locale="fr-FR")
    try:
        desk = moderator.new_page()
        login(desk)
        _open_item(desk, name)
        _assert_image_shown(desk.locator("main img[src*='/logos/']"))
        desk.locator("#message").fill("Merci d’ajouter une description en français.")
        with desk.expect_navigation():
            desk.locator("button[formaction$='/request-changes']").click()
        expect(desk.locator(".flash-success")).to_be_visible()

        page.goto(status_path)
        expect(page.locator(".message-body")).to_contain_text("description en français")
        page.locator("a[href$='/amend']").click()
        expect(page.locator("#name")).to_have_value(name)
        page.locator("#description_fr").fill("Nous hébergeons Nextcloud à Lannion.")
        submit_application(page)
        expect(page.locator(".flash-success")).to_be_visible()

        desk.goto("/moderation/")
        _open_item(desk, name)
        with desk.expect_navigation():
            desk.locator("button[formaction$='/approve']").click()
        expect(desk.locator(".flash-success")).to_be_visible()
    finally:
        moderator.close()

    page.goto(f"/search?q=Trégor&lang={lang}")
    page.get_by_role("link", name=name).click()
    expect(page.locator("h1")).to_have_text(name)
    expect(page.locator("main")).to_contain_text("Lannion")
    _assert_image_shown(page.locator("img.logo"))


def _assert_image_shown(image) -> None:
    """The image was fetched and decoded (the upload was re-encoded to WebP and served)."""
    expect(image).to_be_visible()
    assert image.evaluate("img => img.complete && img.naturalWidth") == 64


@LANGS
def test_keyboard_only_search_and_application(page, lang):
    page.goto(f"/?lang={lang}")
    page.keyboard.press("Tab")
    skip = focused(page)
    assert skip["tag"] == "a" and skip["ring"], skip
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "content"

    tab_to(page, lambda f: f["id"] == "q")
    page.keyboard.type("hébergement")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    # A région on the map, then a service: each applies at once (the script keeps the focus
    # where it was, so Tab goes on from there).
    tab_to(page, lambda f: f["region"] == "53")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"[?&]region=53"))
    tab_to(page, lambda f: f["name"] == "service")
    page.keyboard.press("Space")
    expect(page).to_have_url(re.compile(r"[?&]service="))
    expect(page).to_have_url(re.compile(r"[?&]region=53"))
    expect(page.locator("#results-count")).to_contain_text(re.compile(r"[1-9]"))

    page.goto("/apply")
    tab_to(page, lambda f: f["id"] == "name")
    page.keyboard.type("Clavier Libre")
    tab_to(page, lambda f: f["name"] == "kind")
    page.keyboard.press("Space")
    tab_to(page, lambda f: f["id"] == "pitch_fr")
    page.keyboard.type("Formations au logiciel libre, au clavier comme à la souris.")
    tab_to(page, lambda f: f["id"] == "public_email")
    page.keyboard.type("bonjour@clavier.example.org")
    tab_to(page, lambda f: f["name"] == "services")
    page.keyboard.press("Space")
    tab_to(page, lambda f: f["name"] == "work_mode")
    page.keyboard.press("Space")
    tab_to(page, lambda f: f["name"] == "price_models")
    page.keyboard.press("Space")
    tab_to(page, lambda f: f["name"] == "audiences")
    page.keyboard.press("Space")
    tab_to(page, lambda f: f["name"] == "languages")
    page.keyboard.press("Space")
    tab_to(page, lambda f: f["id"] == "remote")
    page.keyboard.press("Space")
    tab_to(page, lambda f: f["id"] == "contact_email")
    page.keyboard.type("clavier@prive.example.net")
    tab_to(page, lambda f: f["id"] == "charter")
    page.keyboard.press("Space")
    tab_to(page, lambda f: f["tag"] == "button")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("h1")).to_contain_text(HEADINGS[lang]["received"])
