"""Blueprints; each module is one blueprint named after it."""

from flask import Flask

from directory.views import errors, pages, providers, search


def register_views(app: Flask) -> None:
    for module in (search, providers, pages):
        app.register_blueprint(module.bp)
    errors.init_app(app)
