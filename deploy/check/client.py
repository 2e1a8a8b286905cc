"""A visitor of the site through the proxy, over HTTPS, as a browser on another machine would
be: the site's name resolved to loopback (like curl's --resolve), Caddy's certificate checked
against its local authority, and a source address of its own (127.0.0.2, 127.0.0.3...), so
that the rate limits see several visitors on one machine."""

import html
import http.client
import re
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urlencode


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def header(self, name: str) -> str:
        return self.headers.get(name) or ""


class _Connection(http.client.HTTPSConnection):
    """HTTPS to `name` (SNI, certificate and Host) at the address `address`."""

    def __init__(self, name: str, port: int, address: str, source: str, context):
        super().__init__(name, port, timeout=30, context=context, source_address=(source, 0))
        self.address = address

    def connect(self):
        sock = socket.create_connection(
            (self.address, self.port), self.timeout, self.source_address
        )
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


class Client:
    """One visitor: a source address, a cookie jar, one connection kept open (no redirect is
    followed)."""

    def __init__(self, name: str, port: int, cafile: str, source: str = "127.0.0.1"):
        self.name, self.port, self.source = name, port, source
        self.context = ssl.create_default_context(cafile=cafile)
        self.cookies: dict[str, str] = {}
        self.connection: _Connection | None = None

    def request(self, method: str, path: str, headers=None, form: dict | None = None):
        headers = dict(headers or {})
        body = None
        if form is not None:
            body = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in (1, 2):
            if self.connection is None:
                self.connection = _Connection(
                    self.name, self.port, "127.0.0.1", self.source, self.context
                )
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                data = response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # The server closed a connection kept open: once more on a new one.
                self.close()
                if attempt == 2:
                    raise
        if response.will_close:
            self.close()
        for value in response.headers.get_all("Set-Cookie") or []:
            cookie_name, _, rest = value.partition("=")
            self.cookies[cookie_name.strip()] = rest.split(";", 1)[0]
        return Response(response.status, response.headers, data)

    def get(self, path: str, headers: dict | None = None) -> Response:
        return self.request("GET", path, headers=headers)

    def post(self, path: str, form: dict, headers: dict | None = None) -> Response:
        """A form posted from the page at `path`, with the Referer a browser sends (over
        HTTPS, Flask-WTF refuses a post whose Referer is not the site)."""
        referer = {"Referer": f"https://{self.name}:{self.port}{path}"}
        return self.request("POST", path, headers={**referer, **(headers or {})}, form=form)

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def hidden_fields(page: str) -> dict[str, str]:
    """The page's hidden inputs (CSRF token, submission key, version), the first of each."""
    found: dict[str, str] = {}
    for tag in re.findall(r"<input[^>]*type=\"hidden\"[^>]*>", page):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name and name.group(1) not in found:
            found[name.group(1)] = html.unescape(value.group(1) if value else "")
    return found
