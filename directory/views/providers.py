"""Public provider pages."""

from urllib.parse import parse_qsl, urlencode, urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from flask_login import current_user

from directory.i18n import current_locale
from directory.services import providers
from directory.services.logos import is_stored_logo_name
from directory.views.structured_data import provider_json_ld

bp = Blueprint("providers", __name__, url_prefix="/providers")


# A results page's query string longer than this is not carried back (no search is).
_MAX_SEARCH_LENGTH = 2000


def back_to_search() -> str:
    """The results page the visitor came from, with its search, when the Referer is this
    site's results page (same-origin referrers are sent: Referrer-Policy same-origin); the
    plain results page otherwise. Only the query string is taken, re-encoded from its
    parsed pairs onto our own path: never another host or path, never url_for arguments."""
    results = url_for("search.results")
    referrer = urlsplit(request.referrer or "")
    if referrer.path != results or referrer.netloc not in ("", request.host):
        return results
    query = urlencode(parse_qsl(referrer.query[:_MAX_SEARCH_LENGTH]))
    return f"{results}?{query}" if query else results


@bp.get("/<slug>")
def show(slug: str):
    provider = providers.card_by_slug(slug) or abort(404)
    return render_template(
        "providers/show.html",
        provider=provider,
        back_to_search=back_to_search(),
        accepts_messages=provider.accepts_messages,
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
