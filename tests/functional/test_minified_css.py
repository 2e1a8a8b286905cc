"""Minified stylesheets: with MINIFIED_CSS on, pages link site.min.css (built by
tools/minify_css.py) under its own digest, smaller than the source with every rule kept, and
go back to the source when the copy was not rebuilt after an edit."""

import gzip
import hashlib
import re
from collections import Counter

import brotli
import pytest

from directory.config import ROOT
from tests.conftest import html, make_app
from tools import minify_css

SOURCE = ROOT / "static" / "css" / "site.css"
COPY = ROOT / "static" / "css" / "site.min.css"
YEAR = "public, max-age=31536000, immutable"

_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_STRING = re.compile(r"(\"[^\"]*\"|'[^']*')")


def _normal(text: str) -> str:
    """Spaces that carry no meaning taken out, outside quoted strings, as a minifier may."""
    parts = _STRING.split(text)
    for i in range(0, len(parts), 2):
        part = re.sub(r"\s+", " ", parts[i])
        part = re.sub(r" ?([>~,;{}()!]) ?", r"\1", part)
        parts[i] = part.replace(": ", ":")
    return "".join(parts).strip()


def css_rules(css: str) -> Counter:
    """Every block of a stylesheet: its enclosing at-rules and selector, and its
    declarations (spaces normalised); comments left out."""
    text = _COMMENT.sub("", css)
    rules: Counter = Counter()
    stack: list[str] = []
    start = 0
    for brace in re.finditer(r"[{}]", text):
        chunk, start = text[start : brace.start()], brace.end()
        if brace.group() == "{":
            stack.append(_normal(chunk.rsplit(";", 1)[-1]))
        else:
            declarations = sorted(_normal(d) for d in chunk.split(";") if d.strip())
            rules[(tuple(stack), tuple(declarations))] += 1
            stack.pop()
    assert not stack, "unbalanced braces"
    return rules


def selectors(rules: Counter) -> set[str]:
    return {s for (blocks, _), _n in rules.items() for s in blocks[-1].split(",")}


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:12]


@pytest.fixture
def built():
    """The copy as `make install` builds it."""
    minify_css.build()
    return COPY.read_bytes()


@pytest.fixture
def minified_app(tmp_path, built):
    app = make_app(tmp_path, MINIFIED_CSS=True)
    yield app
    app.extensions["directory.search"].index.close()


def _stylesheet(client, path: str = "/") -> str:
    return html(client.get(path)).select_one("link[rel=stylesheet]")["href"]


@pytest.mark.parametrize("path", ["/", "/apply", "/embed", "/help/"])
def test_pages_link_the_minified_copy_under_its_own_digest(minified_app, built, path):
    assert _stylesheet(minified_app.test_client(), path) == (
        f"/static/css/site.min.css?v={_digest(built)}"
    )


def test_the_served_copy_is_smaller_and_keeps_every_rule(minified_app, built):
    client = minified_app.test_client()
    url = _stylesheet(client)
    source = SOURCE.read_bytes()
    with client.get(url) as response:
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == YEAR
        assert response.mimetype == "text/css"
        served = response.get_data()
    assert served == built
    assert len(served) < 0.9 * len(source)
    rules = css_rules(source.decode())
    assert len(rules) > 300
    assert css_rules(served.decode()) == rules
    assert selectors(css_rules(served.decode())) == selectors(rules)
    assert "/*" not in served.decode().split("\n", 1)[1]


@pytest.mark.parametrize(
    ("encoding", "decode"), [("br", brotli.decompress), ("gzip", gzip.decompress)]
)
def test_the_copy_is_smaller_compressed_too(minified_app, encoding, decode):
    client = minified_app.test_client()
    sizes = {}
    for url in (_stylesheet(client), "/static/css/site.css"):
        with client.get(url, headers={"Accept-Encoding": encoding}) as response:
            assert response.headers["Content-Encoding"] == encoding
            sizes[url.split("?")[0]] = len(response.get_data())
            plain = decode(response.get_data())
        assert plain == (ROOT / url.split("?")[0].lstrip("/")).read_bytes()
    assert sizes["/static/css/site.min.css"] < sizes["/static/css/site.css"]


def test_a_copy_not_rebuilt_after_an_edit_is_not_linked(minified_app, built):
    client = minified_app.test_client()
    rest = built.split(b"\n", 1)[1]
    try:
        # The copy of an older version of the source: its first line names another digest
        # (and its size differs, as the app tells a file's versions by size and date).
        COPY.write_bytes(b"/*! minified from 000000000000 */\n" + rest + b"\n")
        assert _stylesheet(client) == f"/static/css/site.css?v={_digest(SOURCE.read_bytes())}"
    finally:
        minify_css.build()
    assert _stylesheet(client) == f"/static/css/site.min.css?v={_digest(built)}"


def test_without_the_setting_pages_link_the_source(client, built):
    assert _stylesheet(client) == f"/static/css/site.css?v={_digest(SOURCE.read_bytes())}"
