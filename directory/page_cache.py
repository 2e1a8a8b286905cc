"""Rendered home and search pages, kept per process for anonymous visitors."""

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import wraps

from flask import Flask, current_app, g, request, session
from flask_login import current_user
from sqlalchemy import func, select

from directory import search
from directory.extensions import db
from directory.i18n import current_locale
from directory.models import IndexChange, TaxonomyChange
from directory.security import csp_nonce

_EXTENSION = "directory.page_cache"
# Stands for the request's CSP nonce in a stored page; a nonce is 22 URL-safe characters,
# and this string holds characters a nonce never has.
NONCE_PLACEHOLDER = "\x00nonce\x00"


@dataclass
class PageCache:
    """A bounded least-recently-used map from page keys to HTML, shared by a process's
    threads; `hits`, `misses` and `stores` say how it is used (tests, benchmarks)."""

    size: int
    hits: int = 0
    misses: int = 0
    stores: int = 0

    def __post_init__(self):
        self._pages: OrderedDict[tuple, str] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple) -> str | None:
        with self._lock:
            html = self._pages.get(key)
            if html is None:
                self.misses += 1
                return None
            self._pages.move_to_end(key)
            self.hits += 1
            return html

    def put(self, key: tuple, html: str) -> None:
        with self._lock:
            self._pages[key] = html
            self._pages.move_to_end(key)
            self.stores += 1
            while len(self._pages) > self.size:
                self._pages.popitem(last=False)

    def __len__(self) -> int:
        return len(self._pages)


def page_cache() -> PageCache | None:
    """This process's cache, or None when PAGE_CACHE_SIZE is 0."""
    return current_app.extensions.get(_EXTENSION)


# The newest index change and taxonomy change ids, in one round trip: together they change
# whenever a page's providers, counts or vocabularies can have changed.
_VERSIONS = select(
    select(func.max(IndexChange.id)).scalar_subquery(),
    select(func.max(TaxonomyChange.id)).scalar_subquery(),
)


def _versions() -> tuple[int, int]:
    index_version, taxonomy_version = db.session.execute(_VERSIONS).one()
    return index_version or 0, taxonomy_version or 0


def _cacheable_request() -> bool:
    """Only an anonymous GET with an empty session, not switching languages: anything else
    may show or set something of the visitor's own (moderator bar, flashes, a cookie)."""
    return (
        request.method == "GET"
        and "lang" not in request.args
        and not session
        and not current_user.is_authenticated
    )


def _key() -> tuple:
    """Everything a cached page depends on. The query string is taken parsed but in its own
    order, since links on the page repeat it in that order; the date because entries show
    "to be verified" from a date on."""
    index_version, taxonomy_version = _versions()
    return (
        request.endpoint,
        request.url_root,
        tuple(request.args.items(multi=True)),
        current_locale(),
        index_version,
        taxonomy_version,
        date.today().isoformat(),
    )


def cached(view: Callable) -> Callable:
    """Serves the view's page from the cache when it can; otherwise runs the view and lets
    `_store` keep the page it rendered. The response still goes through every after_request
    hook (CSP with this request's nonce, Vary, cookies), as a rendered page does."""

    @wraps(view)
    def serve(*args, **kwargs):
        cache = page_cache()
        if cache is None or not _cacheable_request():
            return view(*args, **kwargs)
        key = _key()
        html = cache.get(key)
        if html is not None:
            return html.replace(NONCE_PLACEHOLDER, csp_nonce())
        g.page_cache_key = key
        return view(*args, **kwargs)

    return serve


def _store(response):
    """Keeps a page rendered for a cacheable request, unless it turned out personal (a
    cookie, something put in the session) or not a plain page, or unless this server's index
    is behind the change the key names (a partial catch-up would be cached for good)."""
    key = g.pop("page_cache_key", None)
    if (
        key is None
        or response.status_code != 200
        or response.mimetype != "text/html"
        or response.direct_passthrough
        or "Set-Cookie" in response.headers
        or session
        or session.modified
        or current_user.is_authenticated
        or search.applied_change() < key[4]
    ):
        return response
    html = response.get_data(as_text=True)
    if "csp_nonce" in g:
        html = html.replace(g.csp_nonce, NONCE_PLACEHOLDER)
    page_cache().put(key, html)
    return response


def init_app(app: Flask) -> None:
    size = app.config["PAGE_CACHE_SIZE"]
    if size > 0:
        app.extensions[_EXTENSION] = PageCache(size)
        app.after_request(_store)
