"""Pictograms (every service and tool has one, drawn in the committed sprite) and monograms."""

import json
import os
import re
import subprocess  # nosec B404: runs our own code
import sys
import xml.etree.ElementTree as ET  # nosec B405: our own committed file

import pytest

from directory.config import ROOT
from directory.pictograms import (
    FALLBACK_ICON,
    MONOGRAM_TONES,
    SERVICE_ICONS,
    SPRITE,
    SYMBOL_PREFIX,
    icon_names,
    monogram,
    service_icon,
    tool_icon,
)

STATIC = ROOT / "static"
SVG = "{http://www.w3.org/2000/svg}"


def _symbols() -> set[str]:
    tree = ET.parse(STATIC / SPRITE)  # nosec B314: our own committed file
    return {element.get("id") for element in tree.getroot().iter(f"{SVG}symbol")}


def test_every_service_of_the_taxonomy_has_its_own_pictogram_in_the_sprite():
    taxonomy = json.loads((ROOT / "seed" / "taxonomy.json").read_text(encoding="utf-8"))
    codes = [service["code"] for service in taxonomy["services"]]
    assert list(SERVICE_ICONS) == codes  # the table follows the taxonomy, in its order
    symbols = _symbols()
    for code in codes:
        assert service_icon(code) != SYMBOL_PREFIX + FALLBACK_ICON
        assert service_icon(code) in symbols
    # Sixteen services, sixteen different pictures.
    assert len(set(SERVICE_ICONS.values())) == len(codes)


def test_every_tool_of_the_vocabulary_has_the_pictogram_of_its_first_service():
    vocabulary = json.loads((ROOT / "seed" / "vocabulary.json").read_text(encoding="utf-8"))
    symbols = _symbols()
    for tool in vocabulary["tools"]:
        assert tool_icon(tool["services"]) in symbols
        assert tool_icon(reversed(tool["services"])) == tool_icon(tool["services"])
    assert tool_icon({"videoconference", "collaborative_tools"}) == "i-video"


def test_an_unknown_service_gets_the_fallback_pictogram_which_exists():
    assert service_icon("not-a-service") == SYMBOL_PREFIX + FALLBACK_ICON
    assert tool_icon([]) == SYMBOL_PREFIX + FALLBACK_ICON
    assert {SYMBOL_PREFIX + name for name in icon_names()} <= _symbols()


def test_the_sprite_comes_with_lucides_licence():
    licence = (STATIC / "icons" / "LICENSE.txt").read_text(encoding="utf-8")
    assert "ISC License" in licence
    assert "Lucide" in licence


def test_the_committed_sprite_is_what_the_build_makes_from_the_pinned_package():
    from tools import build_icons

    if not build_icons.PACKAGE.is_dir():
        pytest.fail("node_modules/lucide-static is missing: run npm ci (make browser-deps)")
    assert (STATIC / SPRITE).read_text(encoding="utf-8") == build_icons.sprite()


@pytest.mark.parametrize(
    ("name", "initials"),
    [
        ("Coop Num Armor", "CN"),
        ("Les Octets de la Loire", "OL"),
        ("framasoft", "FR"),
        ("Écrivains publics", "ÉP"),
        ("l'Atelier du Libre", "AL"),
        ("  ", "?"),
    ],
)
def test_a_monogram_takes_the_initials_of_the_first_significant_words(name, initials):
    assert monogram(name).initials == initials


def test_a_monograms_tone_is_derived_from_the_name_and_stable():
    tones = {monogram(f"Provider {n}").tone for n in range(40)}
    assert len(tones) > 3  # names spread over the tones
    assert tones <= set(range(MONOGRAM_TONES))
    # The same name, whatever its case or surrounding spaces, keeps its tone: a digest,
    # not Python's per-process salted hash.
    assert monogram("Coop Num Armor").tone == monogram(" coop num armor ").tone
    tones = {_tone_in_a_new_process(seed) for seed in ("1", "2")}
    assert tones == {str(monogram("Coop Num Armor").tone)}


def _tone_in_a_new_process(hash_seed: str) -> str:
    code = "from directory.pictograms import monogram; print(monogram('Coop Num Armor').tone)"
    run = subprocess.run(  # nosec B603: our own interpreter and code
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONHASHSEED": hash_seed},
    )
    return run.stdout.strip()


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_every_monogram_tone_has_a_colour_under_white_initials_at_wcag_aa():
    css = (STATIC / "css" / "site.css").read_text(encoding="utf-8")
    colours = dict(re.findall(r"\.monogram\.tone-(\d+) \{ background: (#[0-9a-f]{6}); \}", css))
    assert sorted(map(int, colours)) == list(range(MONOGRAM_TONES))
    assert re.search(r"\.monogram \{[^}]*color: #fff(fff)?;", css)
    for colour in colours.values():
        assert (1 + 0.05) / (_luminance(colour) + 0.05) >= 4.5, colour
