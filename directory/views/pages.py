"""Content pages: about, how to apply, charter, FAQ, legal notice and privacy."""

from flask import Blueprint, current_app, render_template

from directory.i18n import current_locale
from directory.services import contact, content

bp = Blueprint("pages", __name__)

LEGAL_SETTINGS = (
    "SITE_PUBLISHER",
    "SITE_PUBLISHER_ADDRESS",
    "SITE_PUBLICATION_DIRECTOR",
    "SITE_CONTACT_EMAIL",
    "SITE_HOST_NAME",
    "SITE_HOST_ADDRESS",
)


def _months(days: int) -> int:
    return round(days / 30.4)


@bp.get("/about")
def about():
    return render_template("pages/about.html")


@bp.get("/how-to-apply")
def how_to_apply():
    config = current_app.config
    return render_template(
        "pages/how_to_apply.html",
        verify_months=_months(config["VERIFY_AFTER_DAYS"]),
        link_days=config["EDIT_LINK_MAX_AGE"] // 86400,
        testimonial_link_days=config["TESTIMONIAL_LINK_MAX_AGE"] // 86400,
        outbox_days=config["OUTBOX_RETENTION_DAYS"],
    )


@bp.get("/charter")
def charter():
    return render_template("pages/charter.html", charter=content.charter(current_locale()))


@bp.get("/faq")
def faq():
    config = current_app.config
    return render_template(
        "pages/faq.html",
        verify_months=_months(config["VERIFY_AFTER_DAYS"]),
        second_days=config["VERIFY_SECOND_REMINDER_DAYS"],
        grace_days=config["VERIFY_GRACE_DAYS"],
        offline_years=config["FRESHNESS_UNPUBLISH_DAYS"] // 365,
    )


@bp.get("/legal")
def legal():
    """The legal notice (mentions légales); settings left empty show as placeholders."""
    settings = {key.lower(): current_app.config[key] for key in LEGAL_SETTINGS}
    return render_template("pages/legal.html", **settings)


@bp.get("/privacy")
def privacy():
    config = current_app.config
    return render_template(
        "pages/privacy.html",
        rejected_months=_months(config["PURGE_REJECTED_DAYS"]),
        abandoned_months=_months(config["PURGE_ABANDONED_DAYS"]),
        contact_months=contact.retention_months(),
        link_days=config["EDIT_LINK_MAX_AGE"] // 86400,
        testimonial_link_days=config["TESTIMONIAL_LINK_MAX_AGE"] // 86400,
        outbox_days=config["OUTBOX_RETENTION_DAYS"],
        contact_email=config["SITE_CONTACT_EMAIL"],
    )
