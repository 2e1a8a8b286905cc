"""Content pages."""

from flask import Blueprint, current_app, render_template

from directory.i18n import current_locale
from directory.services import content

bp = Blueprint("pages", __name__)


@bp.get("/about")
def about():
    return render_template("pages/about.html")


@bp.get("/charter")
def charter():
    return render_template("pages/charter.html", charter=content.charter(current_locale()))


@bp.get("/privacy")
def privacy():
    config = current_app.config
    return render_template(
        "pages/privacy.html",
        rejected_months=round(config["PURGE_REJECTED_DAYS"] / 30.4),
        abandoned_months=round(config["PURGE_ABANDONED_DAYS"] / 30.4),
    )
