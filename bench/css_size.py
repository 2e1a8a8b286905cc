"""Bytes of the stylesheet before and after minification, as each server sends them.

    PYTHONPATH=. .venv/bin/python -m bench.css_size

Builds static/css/site.min.css (tools/minify_css.py, as `make install` does), then asks a
test app for site.css and site.min.css plain, in brotli and in gzip (the app's own
compression, directory/compression.py, as `make run` serves them), and compresses both files
with zstd at level 3 (Caddy's `encode zstd`, deploy/caddy/Caddyfile, uses its default speed,
about that level) and gzip at level 6 (nginx's gzip_comp_level is 1 by default: also shown).
Prints a Markdown table for the README.
"""

import gzip
import tempfile
from pathlib import Path

from backports import zstd

from directory import create_app
from directory.config import ROOT, TestConfig
from tools import minify_css

FILES = ("css/site.css", "css/site.min.css")


def _served(client, filename: str, encoding: str | None) -> int:
    headers = {"Accept-Encoding": encoding} if encoding else {}
    with client.get(f"/static/{filename}", headers=headers) as response:
        assert response.headers.get("Content-Encoding") == encoding, encoding
        return len(response.get_data())


def sizes() -> dict[str, dict[str, int]]:
    """Bytes of each file: plain, as the app sends them (br, gzip), as a proxy would (zstd,
    gzip at nginx's default level)."""
    minify_css.build()
    with tempfile.TemporaryDirectory() as folder:
        config = {
            **{k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()},
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(folder) / 'db.sqlite3'}",
            "SEARCH_INDEX_DIR": str(Path(folder) / "index"),
        }
        client = create_app(config).test_client()
        figures = {}
        for filename in FILES:
            data = (ROOT / "static" / filename).read_bytes()
            figures[filename] = {
                "plain": _served(client, filename, None),
                "brotli 5 (app)": _served(client, filename, "br"),
                "gzip 6 (app)": _served(client, filename, "gzip"),
                "zstd 3 (Caddy)": len(zstd.compress(data, level=3)),
                "gzip 1 (nginx)": len(gzip.compress(data, compresslevel=1, mtime=0)),
            }
    return figures


def main() -> None:
    figures = sizes()
    source, copy = (figures[name] for name in FILES)
    print("| bytes | site.css | site.min.css | saved |")
    print("|---|---|---|---|")
    for row in source:
        saved = 1 - copy[row] / source[row]
        print(f"| {row} | {source[row]:,} | {copy[row]:,} | {saved:.0%} |")


if __name__ == "__main__":
    main()
