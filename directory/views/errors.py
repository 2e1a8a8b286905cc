"""Translated error pages."""

from flask import Flask, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from directory.extensions import db
from directory.search import IndexUnavailable

ERROR_MESSAGES = {
    400: (
        _l("Bad request"),
        _l(
            "The request could not be understood. Please check the "
            "address or go back to the previous page."
        ),
    ),
    403: (_l("Access denied"), _l("You are not allowed to see this page.")),
    404: (_l("Page not found"), _l("This page does not exist or is no longer available.")),
    405: (_l("Method not allowed"), _l("This address cannot be used this way.")),
    413: (_l("Too large"), _l("What you sent is too large.")),
    429: (_l("Too many requests"), _l("Please wait a moment before trying again.")),
    503: (
        _l("Search temporarily unavailable"),
        _l("The search index is being rebuilt. Please try again in a minute."),
    ),
    500: (
        _l("Something went wrong"),
        _l(
            "An unexpected error happened on our side. It has "
            "been noted; please try again in a moment."
        ),
    ),
}


DATABASE_DOWN = (
    _l("Temporarily unavailable"),
    _l("The directory cannot reach its database for a moment. Please try again in a minute."),
)


def init_app(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        body, code = _render(error.code or 500)
        # The exception's own headers: Allow on a 405, WWW-Authenticate, Retry-After...
        headers = [(k, v) for k, v in error.get_headers() if k.lower() != "content-type"]
        return body, code, headers

    @app.errorhandler(IndexUnavailable)
    def index_unavailable(error: IndexUnavailable):
        app.logger.error("Search index unavailable: %s", error)
        return _render(503)

    @app.errorhandler(OperationalError)
    def database_unavailable(error: OperationalError):
        # The connection may come back at the next request (pool_pre_ping checks it).
        db.session.rollback()
        app.logger.error("Database unavailable: %s", error.orig)
        title, message = DATABASE_DOWN
        return _render(503, title, message)

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        app.logger.exception("Unhandled error")
        return _render(500)


def _render(code: int, title=None, message=None):
    if title is None:
        title, message = ERROR_MESSAGES.get(code, ERROR_MESSAGES[400 if code < 500 else 500])
    if request.path.startswith("/api/"):
        response = jsonify({"error": {"code": code, "title": str(title), "message": str(message)}})
        response.headers["Access-Control-Allow-Origin"] = "*"
        return response, code
    return render_template("errors/error.html", code=code, title=title, message=message), code
