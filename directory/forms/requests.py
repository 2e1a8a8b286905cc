"""The form an association fills to send one request to several providers."""

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from wtforms import BooleanField
from wtforms.validators import InputRequired

from directory.forms.contact import ContactForm


class RequestForm(ContactForm):
    """The contact form's fields, checks and defences (one declaration of each), with the
    consent speaking of several providers and of a request."""

    consent = BooleanField(
        _l(
            "I agree that my request, my structure's name and my email are sent to these "
            "providers and kept by the directory as long as said here."
        ),
        validators=[InputRequired(message=_l("Please agree, or the request cannot be sent."))],
    )

    def __init__(self, taxonomy, locale: str, retention_months: int, *args, **kwargs):
        super().__init__(taxonomy, locale, retention_months, *args, **kwargs)
        self.consent.description = ngettext(
            "The directory keeps your request %(num)d month, then erases it; your private "
            "link erases it sooner.",
            "The directory keeps your request %(num)d months, then erases it; your private "
            "link erases it sooner.",
            retention_months,
        )
