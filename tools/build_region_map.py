"""Builds static/map/regions.json, the région outlines of the map facet, from pygal_maps_fr.

A development tool, run by hand, never by the app: it needs shapely, which is not a runtime
dependency. The source is the département map of pygal_maps_fr 1.1.0 (Kozea, GNU LGPL v3 or
later); its départements are merged into the 18 current régions of seed/taxonomy.json, the
outlines simplified and rounded so that the data file stays small.

    python -m venv /tmp/map-venv && /tmp/map-venv/bin/pip install shapely==2.1.2
    pip download pygal_maps_fr==1.1.0 --no-deps -d /tmp/pgm && unzip /tmp/pgm/*.whl -d /tmp/pgm
    /tmp/map-venv/bin/python tools/build_region_map.py /tmp/pgm/pygal_maps_fr/fr.departments.svg
"""

import argparse
import json
import re
import xml.etree.ElementTree as ET  # nosec B405: a trusted file from a pinned package
from pathlib import Path

from shapely.geometry import MultiPolygon, Polygon
from shapely.ops import unary_union

ROOT = Path(__file__).resolve().parent.parent
SVG = "{http://www.w3.org/2000/svg}"
SCALE = 0.5  # 2000 × 1898 source units become a 1000-unit-wide map
TOLERANCE = 2.0  # simplification, in source units
MARGIN = 12  # map units around the outlines, room for the insets' frames
LICENCE = {
    "source": "pygal_maps_fr 1.1.0, fr.departments.svg (https://pypi.org/project/pygal_maps_fr/)",
    "author": "Kozea (Florian Mounier)",
    "licence": "GNU LGPL v3 or later (LGPL-3.0-or-later)",
    "changes": "départements merged into the 18 current régions, simplified and rounded by "
    "tools/build_region_map.py; Saint-Pierre-et-Miquelon (not a région) left out",
}
TOKEN = re.compile(r"[MmLlCcZzHhVv]|-?(?:\d+\.?\d*|\.\d+)(?:e-?\d+)?")


def rings(d: str) -> list[list[tuple[float, float]]]:
    """The closed rings of an SVG path using M, L, C, H, V and Z (absolute or relative).
    Bézier curves keep their end points only: the outlines are simplified afterwards anyway."""
    tokens = TOKEN.findall(d)
    out, ring = [], []
    x = y = start_x = start_y = 0.0
    command, i = "M", 0

    def number() -> float:
        nonlocal i
        i += 1
        return float(tokens[i - 1])

    while i < len(tokens):
        if tokens[i].isalpha():
            command = tokens[i]
            i += 1
            if command in "Zz":
                if len(ring) > 2:
                    out.append(ring)
                ring, x, y = [], start_x, start_y
                continue
        relative = command.islower()
        kind = command.upper()
        if kind == "M":
            if len(ring) > 2:
                out.append(ring)
            dx, dy = number(), number()
            x, y = (x + dx, y + dy) if relative else (dx, dy)
            start_x, start_y, ring = x, y, [(x, y)]
            command = "l" if relative else "L"  # further pairs are line-tos
            continue
        if kind == "L":
            dx, dy = number(), number()
        elif kind == "H":
            dx, dy = number(), (0.0 if relative else y)
        elif kind == "V":
            dx, dy = (0.0 if relative else x), number()
        elif kind == "C":
            for _ in range(4):
                number()
            dx, dy = number(), number()
        else:
            raise ValueError(f"unsupported path command {command}")
        x, y = (x + dx, y + dy) if relative else (dx, dy)
        ring.append((x, y))
    if len(ring) > 2:
        out.append(ring)
    return out


def departement_shapes(svg_path: Path) -> dict[str, MultiPolygon]:
    """Each département's shape, in source units; the zoomed Paris inset is skipped."""
    root = ET.parse(svg_path).getroot()  # nosec B314: see the import
    shapes = {}
    for group in root.findall(f"{SVG}g"):
        if group.get("id") == "paris-petite-couronne":
            continue
        match = re.search(r"translate\(([-\d.]+),([-\d.]+)\)", group.get("transform", ""))
        shift_x, shift_y = (float(match[1]), float(match[2])) if match else (0.0, 0.0)
        for dept in group.findall(f"{SVG}g"):
            code = dept.get("class").split()[0].removeprefix("z")
            polygons = []
            for path in dept.findall(f"{SVG}path"):
                for ring in rings(path.get("d")):
                    points = [(px + shift_x, py + shift_y) for px, py in ring]
                    polygon = Polygon(points).buffer(0)
                    if polygon.area > 4:  # drops specks: rocks and one-pixel islets
                        polygons.append(polygon)
            shapes[code] = unary_union(polygons)
    return shapes


def path_data(shape) -> str:
    """The SVG path of a (multi)polygon, in map units rounded to integers."""
    polygons = shape.geoms if hasattr(shape, "geoms") else [shape]
    parts = []
    for polygon in polygons:
        for ring in [polygon.exterior, *polygon.interiors]:
            points = [(round(px * SCALE), round(py * SCALE)) for px, py in ring.coords[:-1]]
            points = [p for n, p in enumerate(points) if n == 0 or p != points[n - 1]]
            if len(points) > 2:
                parts.append("M" + "L".join(f"{px} {py}" for px, py in points) + "Z")
    return "".join(parts)


def build(svg_path: Path) -> dict:
    taxonomy = json.loads((ROOT / "seed" / "taxonomy.json").read_text(encoding="utf-8"))
    shapes = departement_shapes(svg_path)
    regions = {}
    for region in taxonomy["regions"]:
        codes = [d["code"] for d in region["departements"]]
        merged = unary_union([shapes[code] for code in codes]).buffer(1.5).buffer(-1.5)
        simple = merged.simplify(TOLERANCE, preserve_topology=True)
        point = merged.representative_point() if len(codes) > 1 else merged.centroid
        min_x, min_y, max_x, max_y = merged.bounds
        regions[region["code"]] = {
            "d": path_data(simple),
            "label": [round(point.x * SCALE), round(point.y * SCALE)],
            "box": [round(v * SCALE) for v in (min_x, min_y, max_x - min_x, max_y - min_y)],
            "overseas": all(len(code) == 3 for code in codes),
        }
    boxes = [r["box"] for r in regions.values()]
    left, top = min(b[0] for b in boxes) - MARGIN, min(b[1] for b in boxes) - MARGIN
    right = max(b[0] + b[2] for b in boxes) + MARGIN
    bottom = max(b[1] + b[3] for b in boxes) + MARGIN
    return {**LICENCE, "viewBox": [left, top, right - left, bottom - top], "regions": regions}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("svg", type=Path, help="fr.departments.svg from pygal_maps_fr 1.1.0")
    parser.add_argument("--out", type=Path, default=ROOT / "static" / "map" / "regions.json")
    args = parser.parse_args()
    data = build(args.svg)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{args.out}: {len(data['regions'])} régions, {args.out.stat().st_size} bytes")


if __name__ == "__main__":
    main()
