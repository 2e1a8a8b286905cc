"""Who may see the moderators' area: the login manager's wiring and an admin guard."""

import time
from functools import wraps

from flask import Flask, abort, current_app, flash, session
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user

from directory import moderation_items
from directory.extensions import csrf, limiter, login_manager
from directory.services import accounts


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.login_message_category = "info"
    # A stolen cookie from another network or browser must not keep a session alive.
    login_manager.session_protection = "strong"
    login_manager.user_loader(accounts.load_session_user)

    app.before_request(expire_idle_sessions)

    @app.context_processor
    def inject_pending_count():
        if current_user.is_authenticated:
            return {"pending_count": moderation_items.waiting_count()}
        return {}


def start_session(moderator) -> None:
    """A fresh session at login (nothing carried over from before), with its clocks."""
    session.clear()
    login_user(moderator)
    now = int(time.time())
    session["auth_started"] = session["auth_seen"] = now


def expire_idle_sessions():
    """Logs out a moderator idle for SESSION_IDLE_MINUTES or logged in for longer than
    SESSION_ABSOLUTE_HOURS, whatever they do."""
    if not current_user.is_authenticated:
        return None
    config = current_app.config
    now = int(time.time())
    started = session.get("auth_started", 0)
    seen = session.get("auth_seen", 0)
    if (
        now - seen > config["SESSION_IDLE_MINUTES"] * 60
        or now - started > config["SESSION_ABSOLUTE_HOURS"] * 3600
    ):
        logout_user()
        session.clear()
        flash(_("Your session has expired. Please log in again."), "info")
        return None
    session["auth_seen"] = now
    return None


def admin_required(view):
    """Logged in, and an administrator; other moderators get 403."""

    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def form_rate_limit(config_key: str):
    """A limit on a public form's POSTs per client address (the setting `config_key`),
    counted before the CSRF check so that a flood of forged posts is limited too.
    CSRFProtect's global check runs before any view decorator, so this view is exempt from
    it and checks the token itself, once the limiter has counted the request."""

    def decorate(view):
        @wraps(view)
        def checked(*args, **kwargs):
            csrf.protect()
            return view(*args, **kwargs)

        csrf.exempt(view)
        limit = limiter.limit(lambda: current_app.config[config_key], methods=["POST"])
        return limit(checked)

    return decorate
