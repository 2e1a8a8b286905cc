"""Public provider pages."""

from flask import Blueprint, abort, render_template

from directory.i18n import current_locale
from directory.services import providers
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
