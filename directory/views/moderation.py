"""The moderation queue, an application's page and the decisions on it, the audit log."""

import functools

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from directory.forms.moderation import DecisionForm, QueueFilterForm
from directory.i18n import current_locale
from directory.models import OPEN_STATES
from directory.models.provider import utcnow
from directory.services import (
    contact_stats,
    dashboard,
    duplicates,
    moderation,
    request_stats,
    review,
)
from directory.services.audit_log import rows as audit_rows
from directory.services.provider_data import FIELD_LABELS
from directory.services.taxonomy import load_taxonomy

bp = Blueprint("moderation", __name__, url_prefix="/moderation")


@bp.before_request
@login_required
def require_login():
    """Every page of this blueprint is for logged-in moderators only."""


@bp.context_processor
def plain_values():
    """`label_of(field, value)` for the templates: every value in the moderator's language.
    The taxonomy is read at the first call only, so pages that show no value pay nothing."""
    taxonomy = functools.cache(load_taxonomy)

    def label_of(field, value):
        return review.labelled(field, value, taxonomy(), current_locale())

    return {"label_of": label_of}


@bp.get("/")
def queue():
    filters = QueueFilterForm(request.args)
    states, kinds = filters.selection()
    return render_template(
        "moderation/queue.html",
        filters=filters,
        items=review.queue(states, kinds),
        # Open items show how long they have waited; decided ones, when they were decided.
        waiting=any(state in OPEN_STATES for state in states),
        now=utcnow(),
    )


def _load(application_id: int):
    return review.get(application_id) or abort(404)


@bp.get("/items/<int:application_id>")
def show(application_id: int):
    application = _load(application_id)
    form = DecisionForm(version=application.version)
    return _render_item(application, form)


def _render_item(application, form, status=200):
    return (
        render_template(
            "moderation/item.html",
            application=application,
            form=form,
            changes=review.diff(application),
            amendments=review.amendments(application),
            duplicates=duplicates.find(application),
            field_labels=FIELD_LABELS,
            duplicate_labels=DUPLICATE_LABELS,
            history=audit_rows(provider_id=application.provider_id)
            if application.provider_id
            else [],
        ),
        status,
    )


DUPLICATE_LABELS = {
    "name": _l("name"),
    "website": _l("website"),
    "email": _l("email address"),
    "phone": _l("phone number"),
}
DECISIONS = {
    "approve": (moderation.approve, False),
    "reject": (moderation.reject, True),
    "request-changes": (moderation.request_changes, True),
}
DONE_MESSAGES = {
    "approve": _l("The application was approved."),
    "reject": _l("The application was rejected."),
    "request-changes": _l("The applicant was asked for changes."),
}


@bp.post("/items/<int:application_id>/<any(approve, reject, 'request-changes'):decision>")
def decide(application_id: int, decision: str):
    application = _load(application_id)
    form = DecisionForm()
    if not form.validate_on_submit():
        return _render_item(application, form, 400)
    action, needs_message = DECISIONS[decision]
    args = [application.id, current_user.id, form.version.data]
    if needs_message:
        args.append(form.message.data or "")
    try:
        action(*args)
    except moderation.MessageRequired:
        form.message.errors.append(_("Write a message for the applicant."))
        return _render_item(application, form, 400)
    except moderation.Conflict:
        flash(
            _(
                "Another moderator has just acted on this item. Here is its current state; "
                "nothing was changed."
            ),
            "warning",
        )
        return redirect(url_for("moderation.show", application_id=application_id))
    flash(str(DONE_MESSAGES[decision]), "success")
    return redirect(url_for("moderation.queue"))


@bp.get("/dashboard")
def show_dashboard():
    return render_template(
        "moderation/dashboard.html",
        dashboard=dashboard.build(),
        contact=contact_stats.build(),
        service_requests=request_stats.build(),
    )


@bp.get("/audit")
def audit_log():
    provider_id = request.args.get("provider", type=int)
    return render_template(
        "moderation/audit.html",
        entries=audit_rows(provider_id=provider_id),
        provider_id=provider_id,
    )
