"""Public provider pages."""

from flask import Blueprint, abort, current_app, render_template, send_from_directory
from flask_login import current_user

from directory.i18n import current_locale
from directory.services import providers
from directory.services.logos import is_stored_logo_name
from directory.views.structured_data import provider_json_ld

bp = Blueprint("providers", __name__, url_prefix="/providers")


@bp.get("/<slug>")
def show(slug: str):
    provider = providers.get_by_slug(slug) or abort(404)
    return render_template(
        "providers/show.html",
        provider=provider,
        json_ld=provider_json_ld(provider, current_locale()),
    )


@bp.get("/logos/<name>")
def logo(name: str):
    """Stored logos only, always served as WebP images and never sniffed as anything else."""
    if not is_stored_logo_name(name):
        abort(404)
    public = providers.has_published_logo(name)
    # Logos proposed in applications, or of withdrawn entries, are for moderators only.
    if not public and not current_user.is_authenticated:
        abort(404)
    response = send_from_directory(
        current_app.config["LOGO_DIR"], name, mimetype="image/webp", max_age=86400
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    if not public:
        response.cache_control.private = True
    return response
