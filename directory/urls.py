"""How the app writes its own addresses: from PUBLIC_URL only, never from the request's Host
header, and with query strings encoded apart from url_for's arguments.

A forged Host must not end up in an emailed edit link, a feed or a redirect, so the URL
adapter of every request is bound to PUBLIC_URL's scheme, host and path: url_for, relative or
external, redirects of the URL map and error pages all follow. The Host is only checked
against TRUSTED_HOSTS (Flask's setting), which turns a foreign one into a clean 400.
"""

from collections.abc import Iterable, Mapping
from urllib.parse import urlencode, urlsplit

from flask import Flask, Request, url_for
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException
from werkzeug.routing import MapAdapter
from werkzeug.wsgi import get_host

LOCAL_HOSTS = ("localhost", "127.0.0.1")

Query = MultiDict | Mapping[str, object] | Iterable[tuple[str, object]] | None


class DirectoryFlask(Flask):
    """Flask whose URL adapters are bound to PUBLIC_URL, inside a request or not."""

    def create_url_adapter(self, request: Request | None) -> MapAdapter | None:
        public = urlsplit(self.config["PUBLIC_URL"])
        binding = {
            "server_name": public.netloc,
            "script_name": public.path or "/",
            "subdomain": "",
            "url_scheme": public.scheme,
        }
        if request is None:
            return self.url_map.bind(**binding)
        if (trusted := self.config["TRUSTED_HOSTS"]) is not None:
            request.trusted_hosts = trusted
        try:
            request.host = get_host(request.environ, request.trusted_hosts)  # type: ignore[misc]
        except HTTPException as refused:
            # Answered 400 when the request is dispatched; the adapter stays usable so that
            # the error page can still be built.
            request.routing_exception = refused
        return self.url_map.bind(
            **binding,
            default_method=request.method,
            path_info=request.path,
            query_args=request.environ.get("QUERY_STRING", ""),
        )


def default_trusted_hosts(public_url: str, local: bool) -> list[str]:
    """PUBLIC_URL's host, plus the loopback names on a developer's machine and in tests."""
    host = urlsplit(public_url).hostname or ""
    hosts = [f"[{host}]" if ":" in host else host]
    if local:
        hosts += [name for name in LOCAL_HOSTS if name not in hosts]
    return [name for name in hosts if name]


def url_with_query(endpoint: str, query: Query = None, /, *, _external=False, **view_args):
    """The URL of `endpoint` with `view_args` (the route's own variables, from code), plus
    `query` encoded as the query string. Query keys are data: a parameter named `_anchor`,
    `endpoint` or like a route variable never reaches url_for as an argument."""
    url = url_for(endpoint, _external=_external, **view_args)
    pairs = _pairs(query)
    return f"{url}?{urlencode(pairs, errors='replace')}" if pairs else url


def _pairs(query: Query) -> list[tuple[str, str]]:
    if query is None:
        return []
    if isinstance(query, MultiDict):
        return list(query.items(multi=True))
    if isinstance(query, Mapping):
        return [
            (key, value)
            for key, values in query.items()
            for value in (values if isinstance(values, list | tuple) else [values])
        ]
    return list(query)


def init_app(app: Flask) -> None:
    app.jinja_env.globals["url_with_query"] = url_with_query
