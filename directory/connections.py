"""A request answered before its body was read is read to the end before the answer leaves.

A rate limit answers a form's POST with 429 before the form is parsed. A server that then
closes the connection with the body's bytes still unread makes the system reset it, and a
reset can drop the end of the answer on its way: through Caddy and gunicorn, a 429 page
arrived 100 bytes short. Reading what is left (at most MAX_CONTENT_LENGTH, already checked
by the Content-Length) lets the connection close cleanly.
"""

from flask import Flask, current_app, request


def read_the_rest_of_the_body(response):
    length = request.content_length
    if length and length <= (current_app.config["MAX_CONTENT_LENGTH"] or length):
        request.stream.exhaust()
    return response


def init_app(app: Flask) -> None:
    app.after_request(read_the_rest_of_the_body)
