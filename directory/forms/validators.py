"""Validators shared by several forms."""

from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError


def _unstorable(character: str) -> bool:
    """C0 controls but TAB, LF and CR; UTF-16 surrogates; the non-characters (U+FDD0 to
    U+FDEF, and the last two code points of every plane, such as U+FFFE and U+FFFF)."""
    code = ord(character)
    return (
        (code < 0x20 and character not in "\t\n\r")
        or 0xD800 <= code <= 0xDFFF
        or 0xFDD0 <= code <= 0xFDEF
        or code & 0xFFFE == 0xFFFE
    )


def unstorable_characters(text: str) -> str:
    """The characters of `text` that XML 1.0 cannot carry (the Atom feed, the sitemap),
    that PostgreSQL cannot store (NUL) or that are no text at all; "" when there is none."""
    return "".join(dict.fromkeys(c for c in text if _unstorable(c)))


def storable_text(form, field):
    """Refuses a field (text, or a list of texts) holding unstorable characters. Every form
    applies it to every field (forms/base.py): no person types them, and one of them
    accepted would break the feeds of everyone."""
    values = field.data if isinstance(field.data, list | tuple) else [field.data]
    if any(isinstance(value, str) and unstorable_characters(value) for value in values):
        raise ValidationError(_l("This field contains characters that are not allowed."))


def single_line(form, field):
    """One-line fields (names, addresses, pitches) never hold a line break: it would end up in
    email subjects and log lines."""
    text = field.data if isinstance(field.data, str) else ""
    if "\n" in text or "\r" in text:
        raise ValidationError(_l("This field must fit on one line."))
