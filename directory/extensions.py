"""Unbound Flask extensions, bound to the app in create_app."""

from flask_babel import Babel
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    """Declarative base of every table (typed SQLAlchemy 2 models)."""


db = SQLAlchemy(model_class=Base)
babel = Babel()
csrf = CSRFProtect()
