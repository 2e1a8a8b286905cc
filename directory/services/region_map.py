"""The map facet: région outlines (static/map/regions.json) shaded by their result counts."""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from markupsafe import Markup, escape

# Shades of the map: a région's count relative to the largest count, in this many steps.
LEVELS = 4
INSET_PADDING = 8


@dataclass(frozen=True)
class Outline:
    code: str
    path: Markup
    label_x: int
    label_y: int
    box: tuple[int, int, int, int]
    overseas: bool


@dataclass(frozen=True)
class MapRegion:
    """One région as the map draws it: outline, name, count, shade and whether it is ticked."""

    outline: Outline
    label: str
    # Providers based in or serving the région; `count` adds those working everywhere.
    local: int
    count: int
    selected: bool
    level: int

    @property
    def wide(self) -> int:
        return self.count - self.local

    @property
    def code(self) -> str:
        return self.outline.code

    @property
    def inset(self) -> tuple[int, int, int, int] | None:
        """The frame drawn around an overseas région, or None for metropolitan ones."""
        if not self.outline.overseas:
            return None
        x, y, width, height = self.outline.box
        pad = INSET_PADDING
        return (x - pad, y - pad, width + 2 * pad, height + 2 * pad)


@dataclass(frozen=True)
class RegionMap:
    view_box: str
    regions: list[MapRegion]


@cache
def load_outlines(path: str) -> tuple[str, dict[str, Outline]]:
    """Reads the outlines once per process; the file is built by tools/build_region_map.py."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    outlines = {
        code: Outline(
            code=code,
            # Escaped once here, not in every page: an outline is long, and only path data.
            path=escape(item["d"]),
            label_x=item["label"][0],
            label_y=item["label"][1],
            box=tuple(item["box"]),
            overseas=item["overseas"],
        )
        for code, item in data["regions"].items()
    }
    return " ".join(str(v) for v in data["viewBox"]), outlines


def region_map(path: str, options) -> RegionMap:
    """The map of the région facet's options (value, label, count, selected, local), in
    their order.
    Régions without an outline are left off the map; they stay in the facet's list."""
    view_box, outlines = load_outlines(path)
    locals_ = [_local(option) for option in options]
    counts = [count for count in locals_ if count > 0]
    low, high = min(counts, default=0), max(counts, default=0)
    regions = [
        MapRegion(
            outline=outlines[option.value],
            label=option.label,
            local=_local(option),
            count=option.count,
            selected=option.selected,
            level=shade(_local(option), low, high),
        )
        for option in options
        if option.value in outlines
    ]
    return RegionMap(view_box, regions)


def _local(option) -> int:
    return option.count if option.local is None else option.local


def shade(count: int, low: int, high: int) -> int:
    """0 for no local result, else 1 (the smallest count shown) to LEVELS (the largest); the
    shades follow local counts, as providers working nationwide would make all alike."""
    if count <= 0:
        return 0
    if high <= low:
        return LEVELS
    return 1 + (count - low) * (LEVELS - 1) // (high - low)
