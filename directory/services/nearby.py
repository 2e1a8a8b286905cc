"""Near me: where the visitor is (a postcode, a département, or the browser's position), and
how far each département is from there, between département centres
(static/map/departements.json, built by tools/build_departement_centroids.py from the same
source as the région map; an approximation: "≈ 35 km").
"""

import json
import math
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from directory.services.places import departement_of_postcode

# Mainland France in degrees (Bray-Dunes, Lamanère, Pointe de Corsen, Lauterbourg): the
# browser's position is placed on the map by these extremes (see the builder's docstring).
NORTH, SOUTH, WEST, EAST = 51.09, 42.33, -4.79, 8.23
_POSITION = re.compile(r"^\s*(-?\d{1,2}(?:\.\d+)?)\s*,\s*(-?\d{1,3}(?:\.\d+)?)\s*$")


@dataclass(frozen=True)
class Centre:
    x: float
    y: float
    overseas: bool


@dataclass(frozen=True)
class Origin:
    """Where distances are measured from: a point in km, and its département if known."""

    x: float
    y: float
    departement: str | None


@cache
def centres(path: str) -> dict[str, Centre]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return {code: Centre(c["x"], c["y"], c["overseas"]) for code, c in data["departements"].items()}


def _mainland_box(all_centres: dict[str, Centre]) -> tuple[float, float, float, float]:
    mainland = [c for code, c in all_centres.items() if not c.overseas and code not in ("2A", "2B")]
    return (
        min(c.x for c in mainland),
        max(c.x for c in mainland),
        min(c.y for c in mainland),
        max(c.y for c in mainland),
    )


def origin(near: str, path: str) -> Origin | None:
    """The origin a visitor typed or sent: a postcode, a département code, or "lat,lon" from
    the browser (mainland only). None when it names nothing known."""
    near = (near or "").strip()
    known = centres(path)
    code = departement_of_postcode(near) or near.upper()
    if code in known:
        centre = known[code]
        return Origin(centre.x, centre.y, code)
    match = _POSITION.match(near)
    if match:
        lat, lon = float(match[1]), float(match[2])
        if SOUTH - 1 <= lat <= NORTH + 0.5 and WEST - 0.5 <= lon <= EAST + 1.5:
            left, right, top, bottom = _mainland_box(known)
            # Centres lie inside the outlines: stretch the box of centres to the extremes.
            x = left + (lon - WEST) / (EAST - WEST) * (right - left)
            y = top + (NORTH - lat) / (NORTH - SOUTH) * (bottom - top)
            # Distances run between département centres, as for a postcode.
            nearest = min(known, key=lambda c: math.hypot(known[c].x - x, known[c].y - y))
            return Origin(known[nearest].x, known[nearest].y, nearest)
    return None


def distances(start: Origin, path: str) -> dict[str, float]:
    """Km from `start` to each département centre; an overseas département is only near
    itself (the insets of the map are not where the islands are)."""
    known = centres(path)
    from_overseas = start.departement in known and known[start.departement].overseas
    result = {}
    for code, centre in known.items():
        if centre.overseas or from_overseas:
            if code == start.departement:
                result[code] = 0.0
            continue
        result[code] = math.hypot(centre.x - start.x, centre.y - start.y)
    return result
