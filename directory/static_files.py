"""Fingerprinted static files: every static URL the app writes carries `?v=<digest>` of the
file's content, and a request naming the current digest may be cached for a year.

A browser then never asks twice for a file that has not changed, and sees a changed file at
once, since the pages name it by a new digest. A request without `v`, or naming an older
digest (a page kept from before a deployment), still gets the current file with
`Cache-Control: no-cache` and its ETag and Last-Modified, so it is revalidated, never stale.

The file keeps its name (only the query string changes): a reverse proxy can serve the same
files from disk, and the digest is the first 12 hex digits of the file's SHA-256, which
anything that reads the static folder can compute the same way.
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


class Digests:
    """The digest of each static file, computed once per process per version of the file.
    A version is told by the file's size and modification time (one stat, a few
    microseconds), so that a file edited while `flask run` serves is named by its new digest
    without a restart; its content is read and hashed only when that changes."""

    def __init__(self, folder: str):
        self.folder = folder
        self._known: dict[str, tuple[tuple[int, int], str]] = {}
        self._lock = threading.Lock()

    def of(self, filename: str) -> str | None:
        """The digest of `filename` (relative to the static folder), or None when no such
        file is there (or the name leads out of the folder)."""
        path = safe_join(self.folder, filename)
        if path is None:
            return None
        try:
            status = os.stat(path)
        except OSError:
            return None
        version = (status.st_size, status.st_mtime_ns)
        known = self._known.get(filename)
        if known is not None and known[0] == version:
            return known[1]
        with open(path, "rb") as file:
            digest = hashlib.file_digest(file, "sha256").hexdigest()[:DIGEST_LENGTH]
        with self._lock:
            self._known[filename] = (version, digest)
        return digest


def digests() -> Digests:
    return current_app.extensions[_EXTENSION]


def add_digest(endpoint: str, values: dict) -> None:
    """A URL default: url_for("static", filename=...) gets `v` (url_for puts values that are
    not route variables in the query string). A file that is not there gets none: its URL
    answers 404 anyway."""
    if endpoint != "static" or "v" in values or "filename" not in values:
        return
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
