"""HTTP security headers on every response, and the per-request nonce of inline scripts."""

import logging
import secrets

from flask import Flask, g, request

# Self-hosted assets only; no inline script without the request's nonce.
CSP = (
    "default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors {frame_ancestors}"
)


def csp_nonce() -> str:
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def set_security_headers(response):
    """Views may relax framing by setting their own frame-ancestors (the widget does)."""
    own_policy = response.headers.get("Content-Security-Policy", "")
    frame_ancestors = "'none'"
    if own_policy.startswith("frame-ancestors "):
        frame_ancestors = own_policy.removeprefix("frame-ancestors ")
    response.headers["Content-Security-Policy"] = CSP.format(
        nonce=csp_nonce(), frame_ancestors=frame_ancestors
    )
    if frame_ancestors == "'none'":
        response.headers["X-Frame-Options"] = "DENY"
    response.headers["X-Content-Type-Options"] = "nosniff"
    # Visitors' paths (and search words) never leak to the providers' sites.
    response.headers["Referrer-Policy"] = "same-origin"
    # Geolocation for this site only: "near me" asks for it when the visitor presses its
    # button (static/js/search.js); frames and other origins never may.
    response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(self)"
    response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
    if request.is_secure:
        response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    return response


class OneLineLogFilter(logging.Filter):
    """Escapes line breaks in log messages, so that text typed by a visitor (a search, a
    name) can never forge a log line. Tracebacks are kept apart, in exc_info."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "\n" in message or "\r" in message:
            record.msg = message.replace("\r", "\\r").replace("\n", "\\n")
            record.args = ()
        return True


def init_app(app: Flask) -> None:
    app.logger.addFilter(OneLineLogFilter())
    app.after_request(set_security_headers)
    app.jinja_env.globals["csp_nonce"] = csp_nonce
    if app.config["SECURE_COOKIES"]:
        # Behind HTTPS: cookies never travel in clear, and __Host- pins them to this host.
        app.config.update(
            SESSION_COOKIE_SECURE=True,
            SESSION_COOKIE_NAME="__Host-session",
            REMEMBER_COOKIE_SECURE=True,
        )
