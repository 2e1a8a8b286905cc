"""Administrators manage moderator accounts."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from directory.forms.moderation import ActionForm, ModeratorForm
from directory.services import accounts
from directory.views.access import admin_required

bp = Blueprint("admin", __name__, url_prefix="/admin")

ACCOUNT_ERRORS = {
    "invalid_email": _l("Enter a valid email address."),
    "email_taken": _l("A moderator already has this email."),
    "password_too_short": _l("The password needs at least 12 characters."),
    "password_too_common": _l(
        "This password is too easy to guess. Try a sentence of several words."
    ),
    "not_found": _l("This account no longer exists."),
    "self": _l("You cannot disable or remove your own account."),
}


def _render(form, status=200):
    return (
        render_template(
            "admin/moderators.html",
            form=form,
            action_form=ActionForm(),
            moderators=accounts.list_moderators(),
        ),
        status,
    )


@bp.get("/moderators")
@admin_required
def moderators():
    return _render(ModeratorForm())


@bp.post("/moderators")
@admin_required
def add_moderator():
    form = ModeratorForm()
    if not form.validate_on_submit():
        return _render(form, 400)
    try:
        accounts.create_moderator(
            form.email.data, form.password.data, form.role.data, created_by=current_user.id
        )
    except accounts.AccountError as error:
        form.email.errors.append(str(ACCOUNT_ERRORS[error.code]))
        return _render(form, 400)
    flash(_("The account was created."), "success")
    return redirect(url_for("admin.moderators"))


@bp.post("/moderators/<int:moderator_id>/<any(enable, disable, remove):action>")
@admin_required
def change_moderator(moderator_id: int, action: str):
    form = ActionForm()
    if form.validate_on_submit():
        try:
            if action == "remove":
                accounts.remove(current_user.id, moderator_id)
            else:
                accounts.set_enabled(current_user.id, moderator_id, action == "enable")
        except accounts.AccountError as error:
            flash(str(ACCOUNT_ERRORS[error.code]), "error")
        else:
            flash(_("The account was updated."), "success")
    return redirect(url_for("admin.moderators"))
