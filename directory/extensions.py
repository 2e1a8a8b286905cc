"""Unbound Flask extensions, bound to the app in create_app."""

from flask_babel import Babel
from flask_compress import Compress
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    """Declarative base of every table (typed SQLAlchemy 2 models)."""


db = SQLAlchemy(model_class=Base)
babel = Babel()
csrf = CSRFProtect()
# Batch mode: SQLite cannot ALTER most columns, so Alembic copies the table instead.
migrate = Migrate(render_as_batch=True, compare_type=True)
login_manager = LoginManager()
# Limits are declared on the views that need them; none applies by default.
limiter = Limiter(key_func=get_remote_address, default_limits=[])
# Registered by directory/compression.py, which decides which responses it compresses.
compress = Compress()
