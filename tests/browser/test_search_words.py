"""Journeys of the search in an association's own words: a tool to leave named in the query,
and near me, by postcode (no script needed) and by the browser's position."""

import re

import pytest
from playwright.sync_api import expect

LANGS = pytest.mark.parametrize("lang", ["fr", "en"])


@LANGS
def test_a_tool_named_in_the_query_finds_its_free_alternatives(page, lang):
    page.goto(f"/?lang={lang}")
    page.locator("#q").fill("zoom")
    page.locator("#q").press("Enter")
    expect(page.locator(".expansion")).to_contain_text("Zoom")
    expect(page.locator(".expansion")).to_contain_text("Jitsi Meet")
    expect(page.locator(".card-title a").first).to_have_text("Libre Vidéo Coop")


@LANGS
def test_near_me_by_postcode(page, lang):
    page.goto(f"/search?lang={lang}")
    page.locator("#near").fill("35000")
    page.locator("#near").press("Enter")
    expect(page).to_have_url(re.compile(r"[?&]near=35000"))
    expect(page.locator("#results article .distance").first).to_have_text("≈ 0 km")
    expect(page.locator("#sort")).to_have_value("distance")


def test_near_me_by_the_browsers_position_stays_on_this_site(page):
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation({"latitude": 48.11, "longitude": -1.68})  # Rennes
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto("/search?lang=en")
    page.locator("#locate").click()
    expect(page).to_have_url(re.compile(r"[?&]near=48\.11%2C-1\.68"))
    expect(page.locator("#results article .distance").first).to_have_text("≈ 0 km")
    base = page.url.split("/search")[0]
    assert all(url.startswith(base) for url in requests)
