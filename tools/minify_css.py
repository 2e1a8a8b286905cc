"""Write a minified copy X.min.css beside each stylesheet X.css of static/, with rcssmin
(pinned in pyproject.toml): comments and spaces out, every rule kept.

Run by `make install` (so `make run`, `make test`, `make prod-check`) and by the deployment
steps after each `git pull`; never at request time, and the copies are not committed (a
stylesheet edited in a branch cannot leave a stale copy behind). The copy's first line names
the digest of the source it was made from: the app links a copy only when that digest is the
source's current one (directory/static_files.py), so a copy that was not rebuilt after an edit
is ignored rather than served.

    .venv/bin/python -m tools.minify_css
"""

import sys
from pathlib import Path

import rcssmin

from directory.config import ROOT
from directory.static_files import content_digest, minified_banner, minified_name

STATIC = ROOT / "static"


def minified(source: bytes) -> bytes:
    """The minified copy of a stylesheet's bytes, its first line naming their digest."""
    text = rcssmin.cssmin(source.decode("utf-8"))
    return (minified_banner(content_digest(source)) + text + "\n").encode("utf-8")


def build(folder: Path = STATIC) -> list[Path]:
    """Write the minified copy of every stylesheet under `folder` whose copy is missing or
    differs; return the copies written (an unchanged copy keeps its date)."""
    written = []
    for source in sorted(folder.rglob("*.css")):
        name = minified_name(source.relative_to(folder).as_posix())
        if name is None:
            continue
        copy = folder / name
        text = minified(source.read_bytes())
        if not copy.is_file() or copy.read_bytes() != text:
            copy.write_bytes(text)
            written.append(copy)
    return written


def main() -> int:
    for copy in build():
        print(f"{copy.relative_to(ROOT)}: {copy.stat().st_size:,} bytes", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
