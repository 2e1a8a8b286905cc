"""Rendered home and search pages, kept per process for anonymous visitors."""

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import wraps

from flask import Flask, current_app, g, request, session
from flask_login import current_user
from flask_login.config import COOKIE_NAME as REMEMBER_COOKIE
from sqlalchemy import func, select

from directory import search
from directory.extensions import db
from directory.i18n import LANGUAGE_COOKIE, current_locale
from directory.models import IndexChange, TaxonomyChange
from directory.security import csp_nonce

_EXTENSION = "directory.page_cache"


@dataclass
class PageCache:
    """A bounded least-recently-used map from page keys to pages, shared by a process's
    threads; `hits`, `misses` and `stores` say how it is used (tests, benchmarks). A page is
    kept encoded, cut where the CSP nonce was, so that a hit only joins it with the new one."""

    size: int
    hits: int = 0
    misses: int = 0
    stores: int = 0

    def __post_init__(self):
        self._pages: OrderedDict[tuple, list[bytes]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple) -> list[bytes] | None:
        with self._lock:
            parts = self._pages.get(key)
            if parts is None:
                self.misses += 1
                return None
            self._pages.move_to_end(key)
            self.hits += 1
            return parts

    def put(self, key: tuple, parts: list[bytes]) -> None:
        with self._lock:
            self._pages[key] = parts
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
    """Read on a connection of its own rather than through the ORM session, which a cache
    hit then never opens (half the cost of a hit). A miss reads the page's data afterwards,
    so that data is never older than the versions it is filed under."""
    with db.engine.connect() as connection:
        index_version, taxonomy_version = connection.execute(_VERSIONS).one()
    return index_version or 0, taxonomy_version or 0


def _cacheable_request() -> bool:
    """Only an anonymous GET with an empty session and no "remember me" cookie: anything
    else may show or set something of the visitor's own (moderator bar, flashes). A ?lang=
    link is cached too: its page is the same for everyone, and the cookie that keeps the
    choice is set on every answer, hit or not (i18n.remember_locale). Without a session
    nor that cookie, Flask-Login has no one to load, so current_user is not asked (it costs
    a hash per request)."""
    return (
        request.method == "GET"
        and not session
        and current_app.config.get("REMEMBER_COOKIE_NAME", REMEMBER_COOKIE) not in request.cookies
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
        parts = cache.get(key)
        if parts is not None:
            return parts[0] if len(parts) == 1 else csp_nonce().encode().join(parts)
        g.page_cache_key = key
        return view(*args, **kwargs)

    return serve


def _store(response):
    """Keeps a page rendered for a cacheable request, unless it turned out personal (a
    cookie other than the language's, something put in the session) or not a plain page,
    or unless this server's index is behind the change the key names (a partial catch-up
    would be cached for good)."""
    key = g.pop("page_cache_key", None)
    if (
        key is None
        or response.status_code != 200
        or response.mimetype != "text/html"
        or response.direct_passthrough
        or any(
            not c.startswith(f"{LANGUAGE_COOKIE}=") for c in response.headers.getlist("Set-Cookie")
        )
        or session
        or session.modified
        or current_user.is_authenticated
        or search.applied_change() < key[4]
    ):
        return response
    body = response.get_data()
    parts = body.split(g.csp_nonce.encode()) if "csp_nonce" in g else [body]
    page_cache().put(key, parts)
    return response


def init_app(app: Flask) -> None:
    size = app.config["PAGE_CACHE_SIZE"]
    if size > 0:
        app.extensions[_EXTENSION] = PageCache(size)
        app.after_request(_store)
