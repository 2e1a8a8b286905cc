"""Blueprints; each module is one blueprint named after it."""

from flask import Flask

from directory import card_faces
from directory.services import reminders, vocabulary
from directory.services.reports import open_count, open_counts
from directory.views import (
    access,
    admin,
    api,
    applications,
    auth,
    contact,
    entries,
    errors,
    exports,
    feeds,
    guide,
    health,
    moderation,
    pages,
    providers,
    reports,
    requests,
    search,
    testimonials,
)


def register_views(app: Flask) -> None:
    blueprints = (search, guide, providers, contact, requests, reports, testimonials, pages,
                  applications, entries, auth, moderation, admin, api, exports, feeds,
                  health)  # fmt: skip
    for module in blueprints:
        app.register_blueprint(module.bp)
    access.init_app(app)
    errors.init_app(app)
    # Templates of several blueprints show the "to be verified" badge.
    app.jinja_env.globals["needs_verification"] = reminders.needs_verification
    # Cards and provider pages show the proprietary tools a provider's software replaces.
    app.jinja_env.globals["alternatives_to"] = vocabulary.alternatives_for
    # Cards and provider pages say the areas served the same way.
    app.jinja_env.globals["area_summary"] = card_faces.area_summary
    # Provider pages show moderators the open reports of the entry; results pages, of each
    # card's entry (never cached for them: page_cache stores anonymous pages only).
    app.jinja_env.globals["open_report_count"] = open_count
    app.jinja_env.globals["open_report_counts"] = open_counts
