"""Build static/icons/sprite.svg from the npm package lucide-static (pinned in package.json):
one <symbol> per pictogram named in directory/pictograms.py, and Lucide's licence beside it.

Run by `make icons` (and by `make run` / `make test` when the package or the table changed);
never at request time. The output is committed: serving needs no Node.js.

    .venv/bin/python -m tools.build_icons [--check]
"""

import re
import shutil
import sys

from directory.config import ROOT
from directory.pictograms import SPRITE, SYMBOL_PREFIX, icon_names

PACKAGE = ROOT / "node_modules" / "lucide-static"
OUTPUT = ROOT / "static" / SPRITE
LICENCE = OUTPUT.parent / "LICENSE.txt"

_BODY = re.compile(r"<svg[^>]*>(.*)</svg>", re.DOTALL)
_VERSION = re.compile(r"lucide-static v([\d.]+)")


def symbol(name: str) -> str:
    """Lucide's `name` as a <symbol>, its drawing attributes on a group inside it."""
    source = (PACKAGE / "icons" / f"{name}.svg").read_text(encoding="utf-8")
    match = _BODY.search(source)
    if match is None:
        raise SystemExit(f"{name}.svg: no <svg> element")
    shapes = " ".join(line.strip() for line in match.group(1).splitlines() if line.strip())
    return (
        f'<symbol id="{SYMBOL_PREFIX}{name}" viewBox="0 0 24 24"><g fill="none" '
        'stroke="currentColor" stroke-width="2" stroke-linecap="round" '
        f'stroke-linejoin="round">{shapes}</g></symbol>'
    )


def sprite() -> str:
    """The sprite's text, built from the installed package."""
    first = (PACKAGE / "icons" / f"{icon_names()[0]}.svg").read_text(encoding="utf-8")
    version = _VERSION.search(first)
    label = f"lucide-static {version.group(1)}" if version else "lucide-static"
    symbols = "\n".join(symbol(name) for name in icon_names())
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg">\n<!-- Pictograms from {label}, '
        "ISC licence (LICENSE.txt); built by tools/build_icons.py -->\n"
        f"{symbols}\n</svg>\n"
    )


def main(argv: list[str]) -> int:
    if not PACKAGE.is_dir():
        print(f"{PACKAGE} is missing (npm ci installs it)", file=sys.stderr)
        return 1
    text = sprite()
    if "--check" in argv:
        if OUTPUT.read_text(encoding="utf-8") != text:
            print(f"{OUTPUT} is out of date: run make icons", file=sys.stderr)
            return 1
        return 0
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(text, encoding="utf-8")
    shutil.copyfile(PACKAGE / "LICENSE", LICENCE)
    print(f"{OUTPUT.relative_to(ROOT)}: {len(icon_names())} pictograms")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
