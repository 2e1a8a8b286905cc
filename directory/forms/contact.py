"""The form an association fills to write to a provider."""

import re

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from wtforms import BooleanField, EmailField, RadioField, SelectChoice, StringField, TextAreaField
from wtforms.validators import Email, InputRequired, Length, ValidationError

from directory.forms.base import DirectoryForm, SubmittedOnce
from directory.forms.validators import single_line
from directory.services.contact import Draft
from directory.services.mail_transport import is_plain_address
from directory.services.taxonomy import Taxonomy

# What counts as a link in a message: an address with a scheme, or a bare www. host.
_LINK = re.compile(r"\b(?:[a-z][a-z0-9+.-]*://|www\.)\S", re.IGNORECASE)


def count_links(text: str) -> int:
    return len(_LINK.findall(text or ""))


def check_message(text: str | None, length_setting: str, links_setting: str) -> None:
    """Refuses a visitor's message longer than the setting `length_setting` or holding more
    links than `links_setting` (the contact form's and the report form's). Raises
    ValidationError with the reason, in the visitor's language."""
    config = current_app.config
    maximum = config[length_setting]
    if len(text or "") > maximum:
        raise ValidationError(
            ngettext(
                "Your message is too long: %(num)d character at most.",
                "Your message is too long: %(num)d characters at most.",
                maximum,
            )
        )
    links = count_links(text)
    if links > config[links_setting]:
        raise ValidationError(
            ngettext(
                "Your message holds %(num)d link; remove some (%(max)d at most), since "
                "messages full of links are how spam looks.",
                "Your message holds %(num)d links; remove some (%(max)d at most), since "
                "messages full of links are how spam looks.",
                links,
                max=config[links_setting],
            )
        )


def plain_address(form, field):
    """An address that can go in the To and Reply-To headers as it is (services.mail_transport
    refuses the rest when sending: it must be refused here, while the sender is here)."""
    if field.data and not is_plain_address(field.data.strip()):
        raise ValidationError(
            _l("Enter an email address with plain letters, e.g. name@example.org.")
        )


class ContactForm(SubmittedOnce, DirectoryForm):
    """The association, its need and its message. Choices come from the taxonomy: kinds of
    structure from the audiences providers work with, needs from the services."""

    sender_name = StringField(
        _l("Name of your association or structure"),
        validators=[InputRequired(), Length(min=2, max=200), single_line],
    )
    sender_email = EmailField(
        _l("Your email"),
        description=_l("The provider answers you at this address; you also get a copy here."),
        validators=[
            InputRequired(),
            Length(max=254),
            Email(message=_l("Enter a valid email address.")),
            plain_address,
        ],
    )
    audience = RadioField(_l("Your structure"), validators=[InputRequired()])
    service = RadioField(_l("What you need"), validators=[InputRequired()])
    body = TextAreaField(_l("Your message"), validators=[InputRequired(), Length(min=10)])
    consent = BooleanField(
        _l(
            "I agree that this message, my structure's name and my email are sent to this "
            "provider and kept by the directory as long as said here."
        ),
        validators=[InputRequired(message=_l("Please agree, or the message cannot be sent."))],
    )
    # Honeypot: hidden from people by CSS, filled in by naive robots.
    nickname = StringField(_l("Leave this field empty"))

    def __init__(self, taxonomy: Taxonomy, locale: str, retention_months: int, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.locale = locale
        # The consent's terms, tied to its box (aria-describedby), from the real setting.
        self.consent.description = ngettext(
            "The directory keeps your message %(num)d month, then erases it; the copy you "
            "receive holds a link to erase it sooner.",
            "The directory keeps your message %(num)d months, then erases it; the copy you "
            "receive holds a link to erase it sooner.",
            retention_months,
        )
        self.audience.choices = [SelectChoice(t.code, t.label(locale)) for t in taxonomy.audiences]
        self.service.choices = [SelectChoice(t.code, t.label(locale)) for t in taxonomy.services]

    def validate_body(self, field):
        check_message(field.data, "CONTACT_MAX_LENGTH", "CONTACT_MAX_LINKS")

    def draft(self) -> Draft:
        return Draft(
            sender_name=self.sender_name.data.strip(),
            sender_email=self.sender_email.data.strip(),
            audience_code=self.audience.data,
            service_code=self.service.data,
            body=self.body.data,
            locale=self.locale,
        )

    def refuse_as_too_frequent(self) -> None:
        """Says why the sender's message was not sent (the limit per sender), above what it
        typed, which the page keeps."""
        self.form_errors.append(
            _l(
                "You have sent several messages in a short time: to protect providers "
                "from spam, please wait an hour before sending this one. Your text is "
                "kept below."
            )
        )
