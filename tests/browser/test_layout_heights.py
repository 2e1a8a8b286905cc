"""Phone first, measured: heights at 375 px (a phone's width; 812 px its screen), no
horizontal scrolling, and no layout shift when the results page's script starts."""

import pytest

PHONE = {"width": 375, "height": 812}
WIDE = {"width": 1280, "height": 800}
SCREEN = PHONE["height"]
HOME_MAX = 2500  # about three screens (issue 16)

NO_HORIZONTAL_SCROLL = "() => document.documentElement.scrollWidth <= window.innerWidth"


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_home_page_fits_in_about_three_phone_screens(page, lang):
    page.set_viewport_size(PHONE)
    page.goto(f"/?lang={lang}")
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height <= HOME_MAX, f"home page {height} px tall at 375 px ({lang})"
    assert page.evaluate(NO_HORIZONTAL_SCROLL)
    # Every service is there, as a pictogram with its name.
    tiles = page.locator(".tiles .tile")
    assert tiles.count() == 16
    for index in range(tiles.count()):
        assert tiles.nth(index).locator("svg.tile-icon use").count() == 1


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_first_result_shows_on_the_first_phone_screen(page, lang):
    page.set_viewport_size(PHONE)
    page.goto(f"/search?q=formation&region=53&lang={lang}")
    # The filters are folded: the results come first.
    assert not page.locator("#facets details.facets-details").evaluate("d => d.open")
    first = page.locator("#results .card").first.bounding_box()
    assert first["y"] + 120 <= SCREEN, f"first card starts at {first['y']} px"
    assert page.evaluate(NO_HORIZONTAL_SCROLL)


@pytest.mark.parametrize("path", ["/apply", "/apply?lang=en"])
def test_each_section_of_the_application_form_fits_in_two_phone_screens(page, path):
    page.set_viewport_size(PHONE)
    page.goto(path)
    sections = page.locator("form.sectioned fieldset.section")
    assert sections.count() == 8
    for index in range(sections.count()):
        box = sections.nth(index).bounding_box()
        assert box["height"] <= 2 * SCREEN, f"section {index + 1}: {box['height']} px"
    # The list of sections leads to each of them, without a script.
    links = page.locator("nav.form-steps a")
    assert links.count() == 8
    links.nth(5).click()
    assert page.evaluate("location.hash") == "#step-areas"
    assert page.locator("#step-areas").bounding_box()["y"] < SCREEN / 2
    assert page.evaluate(NO_HORIZONTAL_SCROLL)


def test_the_application_form_uses_the_width_of_a_desktop_screen(page):
    page.set_viewport_size(WIDE)
    page.goto("/apply")
    form = page.locator("form.sectioned").bounding_box()
    steps = page.locator("nav.form-steps").bounding_box()
    # The list of sections sits beside the form, no empty right third.
    assert steps["x"] > form["x"] + form["width"] / 2
    assert steps["x"] + steps["width"] >= WIDE["width"] * 2 / 3
    # And stays in sight down the form.
    page.locator("#step-logo").scroll_into_view_if_needed()
    assert 0 <= page.locator("nav.form-steps").bounding_box()["y"] < WIDE["height"]


def test_checkboxes_sit_on_the_first_line_of_their_label(page):
    page.set_viewport_size(WIDE)
    page.goto("/apply")
    for selector in ("#services .choice", "#step-about-you .field-check"):
        row = page.locator(selector).first
        box = row.locator("input").bounding_box()
        label = row.locator("label").bounding_box()
        line = label["height"] if label["height"] < 40 else label["height"] / 2
        centre = label["y"] + line / 2
        assert abs(box["y"] + box["height"] / 2 - centre) <= 3, selector


LAYOUT_SHIFT = """() => new Promise(resolve => {
  let total = 0;
  new PerformanceObserver(list => {
    for (const entry of list.getEntries()) { if (!entry.hadRecentInput) total += entry.value; }
  }).observe({type: "layout-shift", buffered: true});
  requestAnimationFrame(() => requestAnimationFrame(() => resolve(total)));
})"""


@pytest.mark.parametrize("viewport", [PHONE, WIDE], ids=["phone", "wide"])
def test_nothing_moves_when_the_results_page_script_starts(page, viewport):
    page.set_viewport_size(viewport)
    page.goto("/search?q=formation&region=53", wait_until="load")
    assert page.evaluate("document.documentElement.classList.contains('js')")
    assert page.evaluate(LAYOUT_SHIFT) < 0.01
