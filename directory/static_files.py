"""Fingerprinted static files: every static URL the app writes carries `?v=<digest>` of the
file's content, and a request naming the current digest may be cached for a year.

A browser then never asks twice for a file that has not changed, and sees a changed file at
once, since the pages name it by a new digest. A request without `v`, or naming an older
digest (a page kept from before a deployment), still gets the current file with
`Cache-Control: no-cache` and its ETag and Last-Modified, so it is revalidated, never stale.

The file keeps its name (only the query string changes): a reverse proxy can serve the same
files from disk, and the digest is the first 12 hex digits of the file's SHA-256, which
anything that reads the static folder can compute the same way.

A stylesheet `X.css` may have a minified copy `X.min.css` beside it, built by
`tools/minify_css.py` (`make install`, and the deployment steps) and not committed: its first
line names the digest of the source it was made from. With MINIFIED_CSS on, the pages link the
copy when that line names the source as it is now, and the source otherwise (an edited
stylesheet is never hidden by a stale copy); a proxy serving the folder serves the copy as it
is, under its own digest.
"""

import hashlib
import os
import threading

from flask import Flask, current_app, request, send_from_directory
from werkzeug.security import safe_join

_EXTENSION = "directory.static_files"
# A year: the longest lifetime caches honour; immutable spares even the revalidation of a
# reload, since a changed file always comes under a new URL.
IMMUTABLE_MAX_AGE = 365 * 24 * 3600
DIGEST_LENGTH = 12
MINIFIED_SUFFIX = ".min.css"


def content_digest(data: bytes) -> str:
    """The digest that names a version of a static file in its URL."""
    return hashlib.sha256(data).hexdigest()[:DIGEST_LENGTH]


def minified_name(filename: str) -> str | None:
    """`css/site.min.css` for `css/site.css`; None for a file that is not a stylesheet
    source (another kind of file, or a minified copy itself)."""
    if not filename.endswith(".css") or filename.endswith(MINIFIED_SUFFIX):
        return None
    return filename.removesuffix(".css") + MINIFIED_SUFFIX


def minified_banner(source_digest: str) -> str:
    """The first line of a minified copy: the digest of the source it was made from."""
    return f"/*! minified from {source_digest} */\n"


class Digests:
    """The digest of each static file, computed once per process per version of the file.
    A version is told by the file's size and modification time (one stat, a few
    microseconds), so that a file edited while `flask run` serves is named by its new digest
    without a restart; its content is read and hashed only when that changes."""

    def __init__(self, folder: str):
        self.folder = folder
        self._known: dict[tuple[str, str], tuple[tuple[int, int], str]] = {}
        self._lock = threading.Lock()

    def of(self, filename: str) -> str | None:
        """The digest of `filename` (relative to the static folder), or None when no such
        file is there (or the name leads out of the folder)."""
        return self._read("digest", filename, lambda file: content_digest(file.read()))

    def served(self, filename: str) -> str:
        """The file to link for `filename`: its minified copy when there is one made from
        `filename` as it is now (its first line names the source's current digest), else
        `filename` itself."""
        copy = minified_name(filename)
        if copy is None:
            return filename
        first_line = self._read(
            "first line", copy, lambda file: file.readline().decode(errors="replace")
        )
        source = self.of(filename)
        if source is not None and first_line == minified_banner(source):
            return copy
        return filename

    def _read(self, what: str, filename: str, read) -> str | None:
        """`read(file)` of `filename`, kept until the file changes, or None when no such
        file is there (or the name leads out of the folder)."""
        path = safe_join(self.folder, filename)
        if path is None:
            return None
        try:
            status = os.stat(path)
        except OSError:
            return None
        version = (status.st_size, status.st_mtime_ns)
        known = self._known.get((what, filename))
        if known is not None and known[0] == version:
            return known[1]
        with open(path, "rb") as file:
            value = read(file)
        with self._lock:
            self._known[(what, filename)] = (version, value)
        return value


def digests() -> Digests:
    return current_app.extensions[_EXTENSION]


def add_digest(endpoint: str, values: dict) -> None:
    """A URL default: url_for("static", filename=...) gets `v` (url_for puts values that are
    not route variables in the query string), and names a stylesheet's current minified copy
    instead of its source when MINIFIED_CSS is on. A file that is not there gets no `v`: its
    URL answers 404 anyway."""
    if endpoint != "static" or "v" in values or "filename" not in values:
        return
    if current_app.config["MINIFIED_CSS"]:
        values["filename"] = digests().served(values["filename"])
    digest = digests().of(values["filename"])
    if digest is not None:
        values["v"] = digest


def serve(filename: str):
    """Flask's static route, with the year-long cache when the URL names the current
    digest. send_from_directory answers 404 for a missing file or a path out of the folder
    and 304 to a matching conditional request, before any digest is computed."""
    response = _read_now(send_from_directory(current_app.static_folder, filename))
    asked = request.args.get("v")
    if asked is not None and asked == digests().of(filename):
        response.cache_control.no_cache = None
        response.cache_control.public = True
        response.cache_control.max_age = IMMUTABLE_MAX_AGE
        response.cache_control.immutable = True
    return response


def _read_now(response):
    """The file read at once and closed (static files are small: the largest is about
    25 kB), rather than streamed and closed when the server is done with the answer: a
    compressed or 304 answer could leave that close to the garbage collector (an unclosed
    file, seen in the browser tests)."""
    body = response.response
    response.direct_passthrough = False
    response.response = [] if response.status_code == 304 else [b"".join(body)]
    if hasattr(body, "close"):
        body.close()
    return response


def init_app(app: Flask) -> None:
    app.extensions[_EXTENSION] = Digests(app.static_folder)
    app.url_defaults(add_digest)
    app.view_functions["static"] = serve
