"""The moderation queue, each item's page and the decisions on it (every kind declared in
directory.moderation_items), the dashboard and the audit log."""

import functools

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from directory import moderation_items
from directory.forms.moderation import DecisionForm, QueueFilterForm
from directory.i18n import current_locale
from directory.models.provider import utcnow
from directory.services import contact_stats, dashboard, moderation, request_stats, review
from directory.services.audit_log import rows as audit_rows
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
    state, subkind = filters.selection()
    return render_template(
        "moderation/queue.html",
        filters=filters,
        items=moderation_items.queue(state, subkind),
        # Open items show how long they have waited; decided ones, when they were decided.
        waiting=moderation_items.is_waiting(state),
        now=utcnow(),
    )


def _load(path: str, item_id: int):
    kind = moderation_items.BY_PATH[path]
    return kind, kind.load(item_id) or abort(404)


_KIND_PATHS = ", ".join(moderation_items.BY_PATH)


@bp.get(f"/<any({_KIND_PATHS}):kind>/<int:item_id>")
def show(kind: str, item_id: int):
    kind, item = _load(kind, item_id)
    return _render_item(kind, item, DecisionForm(version=item.version))


def _render_item(kind, item, form, status=200):
    form.message.label.text = str(kind.message_label)
    form.message.description = kind.message_description
    return (
        render_template(
            kind.template,
            item=item,
            kind=kind,
            form=form,
            decisions=kind.decisions_for(item),
            **kind.context(item),
        ),
        status,
    )


@bp.post(f"/<any({_KIND_PATHS}):kind>/<int:item_id>/<decision>")
def decide(kind: str, item_id: int, decision: str):
    kind, item = _load(kind, item_id)
    chosen = kind.decision(decision) or abort(404)
    form = DecisionForm()
    if not form.validate_on_submit():
        return _render_item(kind, item, form, 400)
    args = [item.id, current_user.id, form.version.data]
    if chosen.needs_message:
        args.append(form.message.data or "")
    try:
        chosen.act(*args)
    except moderation.MessageRequired:
        form.message.errors.append(str(kind.message_required))
        return _render_item(kind, item, form, 400)
    except moderation.Conflict:
        flash(
            _(
                "Another moderator has just acted on this item. Here is its current state; "
                "nothing was changed."
            ),
            "warning",
        )
        return redirect(url_for("moderation.show", kind=kind.path, item_id=item_id))
    except moderation.ModerationError as error:
        refusal = kind.refusals.get(type(error))
        if refusal is None:
            raise
        form.form_errors.append(str(refusal))
        return _render_item(kind, item, form, 400)
    flash(str(chosen.done), "success")
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
