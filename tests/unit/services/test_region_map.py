"""Shading and outlines of the map facet."""

from pathlib import Path

from directory.forms.search_panels import FacetOption
from directory.services.region_map import LEVELS, region_map, shade

OUTLINES = str(Path(__file__).resolve().parents[3] / "static" / "map" / "regions.json")


def test_shades_spread_from_the_smallest_to_the_largest_count():
    assert shade(0, 3, 9) == 0
    assert shade(3, 3, 9) == 1
    assert shade(9, 3, 9) == LEVELS
    assert 1 < shade(6, 3, 9) < LEVELS
    assert shade(5, 5, 5) == LEVELS


def test_the_map_keeps_the_facet_order_and_skips_unknown_regions():
    options = [
        FacetOption("53", "Bretagne", 4, True),
        FacetOption("99", "Nowhere", 1, False),
        FacetOption("03", "Guyane", 0, False),
    ]
    drawn = region_map(OUTLINES, options)
    assert [r.code for r in drawn.regions] == ["53", "03"]
    assert drawn.regions[0].selected and drawn.regions[0].level == LEVELS
    assert drawn.regions[0].inset is None
    assert drawn.regions[1].inset is not None and drawn.regions[1].level == 0
    assert drawn.regions[0].outline.path.startswith("M")
    assert len(drawn.view_box.split()) == 4
