"""Validators shared by several forms."""

from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError


def no_control_characters(form, field):
    """Refuses NUL and other control characters, which PostgreSQL cannot store in text and
    which no person types; newlines and tabs are fine."""
    text = field.data if isinstance(field.data, str) else ""
    if any(ord(c) < 32 and c not in "\n\r\t" for c in text):
        raise ValidationError(_l("This field contains characters that are not allowed."))


def single_line(form, field):
    """One-line fields (names, addresses, pitches) never hold a line break: it would end up in
    email subjects and log lines."""
    text = field.data if isinstance(field.data, str) else ""
    if "\n" in text or "\r" in text:
        raise ValidationError(_l("This field must fit on one line."))
