"""Who may see the moderators' area: the login manager's wiring and an admin guard."""

from functools import wraps

from flask import Flask, abort
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from directory.extensions import login_manager
from directory.services import accounts, moderation


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.login_message_category = "info"
    # A stolen cookie from another network or browser must not keep a session alive.
    login_manager.session_protection = "strong"
    login_manager.user_loader(accounts.load_session_user)

    @app.context_processor
    def inject_pending_count():
        if current_user.is_authenticated:
            return {"pending_count": moderation.pending_count()}
        return {}


def admin_required(view):
    """Logged in, and an administrator; other moderators get 403."""

    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)

    return wrapped
