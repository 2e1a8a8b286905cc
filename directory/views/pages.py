"""Content pages."""

from flask import Blueprint, render_template

from directory.i18n import current_locale
from directory.services import content

bp = Blueprint("pages", __name__)


@bp.get("/about")
def about():
    return render_template("pages/about.html")


@bp.get("/charter")
def charter():
    return render_template("pages/charter.html", charter=content.charter(current_locale()))
