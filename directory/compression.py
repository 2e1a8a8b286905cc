"""Compressed responses: brotli or gzip, as the browser accepts, by Flask-Compress.

Its hook is placed to run after every other one, the page cache's included: the cache keeps
a page's plain bytes (cut where the CSP nonce goes) for every client, whatever encodings it
accepts, so compression must come after the page is kept. Flask-Compress adds
`Vary: Accept-Encoding`, tags a strong ETag with the encoding (a compressed body is not the
same bytes as the plain one) and answers the conditional request again on that ETag, so
that a 304 still comes for an unchanged API answer, feed or static file.
"""

from flask import Flask

from directory.extensions import compress


def compress_response(response):
    """A partial answer (206, a Range of a static file) is left alone: compressing the slice
    would not give the slice of the compressed file the client asked for. A streamed body
    (a static file) is wrapped by Flask-Compress in a generator that drops the original's
    close(): the file is closed with the response here instead of whenever it is collected."""
    if response.status_code == 206:
        return response
    body = response.response
    compressed = compress.after_request(response)
    if compressed.response is not body and hasattr(body, "close"):
        compressed.call_on_close(body.close)
    return compressed


def init_app(app: Flask) -> None:
    """Call before any other extension that adds an after_request hook: Flask runs those
    hooks in the reverse order of their registration."""
    if not app.config["COMPRESS_RESPONSES"]:
        return
    compress.init_app(app)
    app.after_request(compress_response)
