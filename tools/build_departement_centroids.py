"""Builds static/map/departements.json, the centre of each département in kilometres, for the
"near me" sort, from the same source as the région map (pygal_maps_fr's département map).

A development tool, run by hand (it needs shapely, like tools/build_region_map.py, whose
reading of the source it reuses):

    python -m venv /tmp/map-venv && /tmp/map-venv/bin/pip install shapely==2.1.2
    pip download pygal_maps_fr==1.1.0 --no-deps -d /tmp/pgm && unzip /tmp/pgm/*.whl -d /tmp/pgm
    PYTHONPATH=. /tmp/map-venv/bin/python tools/build_departement_centroids.py \
        /tmp/pgm/pygal_maps_fr/fr.departments.svg

Each centre is the centroid of the département's outline. The map's units become kilometres
by one scale: mainland France spans 8.76 degrees of latitude (51.09° N at Bray-Dunes to
42.33° N at Lamanère), 974 km, and the outlines of the mainland départements that many map
units from north to south. Overseas départements are drawn in insets at no true position:
they are marked, and the app counts no distance between them and any other département.
"""

import argparse
import json
from pathlib import Path

from tools.build_region_map import LICENCE, ROOT, departement_shapes

MAINLAND_KM = 974.0


def build(svg_path: Path) -> dict:
    shapes = departement_shapes(svg_path)
    overseas = {code for code in shapes if code.startswith("97")}
    mainland = [shape for code, shape in shapes.items() if code not in overseas | {"2A", "2B"}]
    top = min(shape.bounds[1] for shape in mainland)
    bottom = max(shape.bounds[3] for shape in mainland)
    km = MAINLAND_KM / (bottom - top)
    centres = {
        code: {
            "x": round(shape.centroid.x * km, 1),
            "y": round(shape.centroid.y * km, 1),
            "overseas": code in overseas,
        }
        for code, shape in sorted(shapes.items())
    }
    return {
        "source": LICENCE["source"],
        "licence": LICENCE["licence"],
        "changes": "centroid of each département outline, in kilometres (scale: the mainland's "
        f"north-south extent, {MAINLAND_KM:.0f} km), by tools/build_departement_centroids.py",
        "departements": centres,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("svg", type=Path, help="fr.departments.svg of pygal_maps_fr 1.1.0")
    args = parser.parse_args()
    out = ROOT / "static" / "map" / "departements.json"
    out.write_text(json.dumps(build(args.svg), ensure_ascii=False, separators=(",", ":")) + "\n")
    print(f"{out}: {out.stat().st_size} bytes")


if __name__ == "__main__":
    main()
