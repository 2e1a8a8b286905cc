"""Moderators' login and logout."""

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, logout_user

from directory.forms.moderation import LoginForm, PasswordChangeForm
from directory.services import accounts
from directory.views.access import form_rate_limit, start_session

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    """Only local paths: never "//host", "https://host" or a backslash trick."""
    target = (target or "").strip()
    parts = urlsplit(target)
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return url_for("moderation.queue")
    if parts.scheme or parts.netloc:
        return url_for("moderation.queue")
    return target


@bp.route("/login", methods=["GET", "POST"])
@form_rate_limit("LOGIN_RATE_LIMIT")
def login():
    if current_user.is_authenticated:
        return redirect(url_for("moderation.queue"))
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        try:
            moderator = accounts.authenticate(
                form.email.data, form.password.data, request.remote_addr or ""
            )
        except accounts.AccountLocked as locked:
            form.form_errors.append(
                _(
                    "Too many failed attempts: please try again after %(time)s.",
                    time=format_datetime(locked.until, "short"),
                )
            )
        except accounts.LoginFailed:
            form.form_errors.append(_("Wrong email or password."))
        else:
            start_session(moderator)
            flash(_("You are logged in."), "success")
            return redirect(_safe_next(form.next.data))
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    accounts.end_sessions(current_user.id)
    logout_user()
    session.clear()
    flash(_("You are logged out."), "success")
    return redirect(url_for("search.home"))


PASSWORD_ERRORS = {
    "password_too_short": _l("The password needs at least 12 characters."),
    "password_too_common": _l(
        "This password is too easy to guess. Try a sentence of several words."
    ),
}


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = PasswordChangeForm()
    if form.validate_on_submit():
        try:
            moderator = accounts.change_password(current_user.id, form.current.data, form.new.data)
        except accounts.LoginFailed:
            form.current.errors.append(_("This is not your current password."))
        except accounts.AccountError as error:
            form.new.errors.append(str(PASSWORD_ERRORS[error.code]))
        else:
            start_session(moderator)
            flash(_("Your password has been changed; your other sessions are closed."), "success")
            return redirect(url_for("moderation.queue"))
    return render_template("auth/password.html", form=form), 400 if form.errors else 200
