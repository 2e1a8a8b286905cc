"""The README's screenshots, in French: taken on every run, kept with UPDATE_SCREENSHOTS=1."""

import os

import pytest
from PIL import Image

from directory.config import ROOT
from tests.browser.applicant import TYPED, fill_application, submit_application
from tests.browser.conftest import login

SCREENSHOTS = ROOT / "docs" / "screenshots"
PHONE = {"width": 375, "height": 812}
WIDE = {"width": 1280, "height": 800}


def _apply_with_errors(page):
    page.goto("/apply")
    fill_application(page, {**TYPED, "website": "octets.example", "postcode": "561"})
    page.locator("#contact_email").fill("")
    submit_application(page)


# file name -> (viewport, how to open the page)
SHOTS = {
    "home-phone": (PHONE, lambda page: page.goto("/")),
    "home-wide": (WIDE, lambda page: page.goto("/")),
    "results": (WIDE, lambda page: page.goto("/search?q=nextcloud&service=hosting")),
    "results-phone": (PHONE, lambda page: page.goto("/search?q=formation&region=53")),
    "provider": (WIDE, lambda page: page.goto("/providers/coop-num-armor")),
    "provider-phone": (PHONE, lambda page: page.goto("/providers/coop-num-armor")),
    "apply": (WIDE, lambda page: page.goto("/apply")),
    "apply-phone": (PHONE, lambda page: page.goto("/apply#step-services")),
    "apply-errors": (WIDE, _apply_with_errors),
    "queue": (WIDE, lambda page: (login(page), page.goto("/moderation/"))),
    "dashboard": (WIDE, lambda page: (login(page), page.goto("/moderation/dashboard"))),
}


@pytest.mark.parametrize("name", list(SHOTS))
def test_screenshot(page, tmp_path, name):
    viewport, open_page = SHOTS[name]
    page.set_viewport_size(viewport)
    open_page(page)
    assert page.locator("html").get_attribute("lang") == "fr"
    path = tmp_path / f"{name}.png"
    page.screenshot(path=path)
    with Image.open(path) as image:
        image.verify()
    with Image.open(path) as image:
        assert image.format == "PNG"
        assert image.width == viewport["width"]
        assert image.size == (viewport["width"], viewport["height"])
    if os.environ.get("UPDATE_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        # 256 colours keep the text crisp at a third of the size, for the repository's sake.
        with Image.open(path) as image:
            image.convert("RGB").quantize(256).save(SCREENSHOTS / path.name, optimize=True)
