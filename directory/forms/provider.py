"""The provider form: every public field, used to apply, to amend and to update an entry."""

import re

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    EmailField,
    RadioField,
    SelectChoice,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Email, InputRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from directory.forms.base import DirectoryForm, SubmittedOnce
from directory.forms.validators import single_line
from directory.services.provider_data import CONTACT_CHOICES, FIELD_LABELS
from directory.services.taxonomy import Taxonomy

# Why services.logos refused an upload, in words for the applicant.
LOGO_ERRORS = {
    "too_large": _l("The logo is larger than 2 MB."),
    "not_an_image": _l("This file is not an image we can read. Send a PNG, JPEG or WebP file."),
    "unsupported_format": _l("Only PNG, JPEG and WebP images are accepted (not SVG, GIF…)."),
    "too_many_pixels": _l("This image is too large in pixels. Send a smaller image."),
}
# Fields whose form value is not the data's value as it is (see to_data and fill).
_CONVERTED = ("software", "show_public_email")
MAX_TAGS = 20
MAX_TAG_LENGTH = 40
_PHONE = re.compile(r"^\+?[0-9][0-9 .\-()]{5,24}$")
_POSTCODE = re.compile(r"^(?:[0-9]{5})$")


class MultiCheckboxField(SelectMultipleField):
    """Checkboxes rather than a multiple select: usable on phones and with screen readers."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def http_url(form, field):
    value = (field.data or "").strip()
    if value and not re.fullmatch(r"https?://[^\s/?#]+\.[^\s/?#]+(?:[/?#]\S*)?", value, re.I):
        raise ValidationError(_l("Enter a full web address starting with https:// or http://."))


def phone_number(form, field):
    if field.data and not _PHONE.match(field.data.strip()):
        raise ValidationError(_l("Enter a phone number with digits only, e.g. 01 23 45 67 89."))


def postcode(form, field):
    if field.data and not _POSTCODE.match(field.data.strip()):
        raise ValidationError(_l("A French postcode has five digits, e.g. 29000."))


def _required_choice(message):
    def check(form, field):
        if not field.data:
            raise ValidationError(message)

    return check


class ProviderForm(DirectoryForm):
    """Public fields of an entry. Choices come from the taxonomy in the reader's language."""

    name = StringField(
        FIELD_LABELS["name"],
        validators=[InputRequired(), Length(min=2, max=200), single_line],
    )
    kind = RadioField(FIELD_LABELS["kind"], validators=[InputRequired()])
    pitch_fr = StringField(FIELD_LABELS["pitch_fr"], validators=[Length(max=300), single_line])
    pitch_en = StringField(FIELD_LABELS["pitch_en"], validators=[Length(max=300), single_line])
    description_fr = TextAreaField(FIELD_LABELS["description_fr"], validators=[Length(max=5000)])
    description_en = TextAreaField(FIELD_LABELS["description_en"], validators=[Length(max=5000)])
    website = StringField(FIELD_LABELS["website"], validators=[Length(max=300), http_url])
    public_email = EmailField(
        FIELD_LABELS["public_email"],
        validators=[Optional(), Length(max=254), Email(message=_l("Enter a valid email address."))],
    )
    public_phone = StringField(
        FIELD_LABELS["public_phone"], validators=[Length(max=40), phone_number]
    )
    # "1" or "0" on the page, a boolean in the data (to_data, fill).
    show_public_email = RadioField(
        FIELD_LABELS["show_public_email"],
        choices=[
            SelectChoice("1", CONTACT_CHOICES[True]),
            SelectChoice("0", CONTACT_CHOICES[False]),
        ],
        default="1",
        description=_l(
            "Associations can always write to you through a form on your page: we relay their "
            "message to your private contact email, with their address to answer them."
        ),
    )
    city = StringField(FIELD_LABELS["city"], validators=[Length(max=120), single_line])
    postcode = StringField(FIELD_LABELS["postcode"], validators=[Length(max=5), postcode])
    services = MultiCheckboxField(
        FIELD_LABELS["services"], validators=[_required_choice(_l("Choose at least one service."))]
    )
    regions = MultiCheckboxField(FIELD_LABELS["regions"])
    departements = MultiCheckboxField(FIELD_LABELS["departements"])
    nationwide = BooleanField(FIELD_LABELS["nationwide"])
    remote = BooleanField(FIELD_LABELS["remote"])
    work_mode = RadioField(FIELD_LABELS["work_mode"], validators=[InputRequired()])
    price_models = MultiCheckboxField(
        FIELD_LABELS["price_models"],
        validators=[_required_choice(_l("Choose at least one price model."))],
    )
    audiences = MultiCheckboxField(
        FIELD_LABELS["audiences"],
        validators=[_required_choice(_l("Choose at least one audience."))],
    )
    software = StringField(
        FIELD_LABELS["software"],
        description=_l("Separate names with commas, e.g. Nextcloud, PeerTube, Paheko."),
        validators=[Length(max=1000), single_line],
    )
    chatons = BooleanField(FIELD_LABELS["chatons"])
    languages = MultiCheckboxField(
        FIELD_LABELS["languages"],
        validators=[_required_choice(_l("Choose at least one language."))],
    )
    logo = FileField(
        _l("Logo (optional)"),
        description=_l("PNG, JPEG or WebP, 2 MB at most. It will be resized to 512 pixels."),
    )

    def __init__(self, taxonomy: Taxonomy, locale: str, *args, **kwargs):
        super().__init__(*args, **kwargs)

        def choices(terms):
            return [SelectChoice(t.code, t.label(locale)) for t in terms]

        self.kind.choices = choices(taxonomy.structure_kinds)
        self.work_mode.choices = choices(taxonomy.work_modes)
        self.services.choices = choices(taxonomy.services)
        self.regions.choices = choices(taxonomy.regions)
        self.departements.choices = choices(taxonomy.departements)
        self.price_models.choices = choices(taxonomy.price_models)
        self.audiences.choices = choices(taxonomy.audiences)
        self.languages.choices = choices(taxonomy.languages)

    def validate_software(self, field):
        tags = split_tags(field.data)
        if len(tags) > MAX_TAGS:
            raise ValidationError(_l("List at most %(count)d software names.", count=MAX_TAGS))
        if any(len(tag) > MAX_TAG_LENGTH for tag in tags):
            raise ValidationError(
                _l("Each software name has %(count)d characters at most.", count=MAX_TAG_LENGTH)
            )

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if not (self.pitch_fr.data or "").strip() and not (self.pitch_en.data or "").strip():
            self.pitch_fr.errors = [
                *self.pitch_fr.errors,
                _l("Write a short pitch in French or in English."),
            ]
            valid = False
        if (
            not (self.public_email.data or "").strip()
            and not (self.public_phone.data or "").strip()
        ):
            self.public_email.errors = [
                *self.public_email.errors,
                _l("Give a public email or a phone number, so that associations can reach you."),
            ]
            valid = False
        if not (
            self.regions.data or self.departements.data or self.nationwide.data or self.remote.data
        ):
            self.regions.errors = [
                *self.regions.errors,
                _l("Choose at least one area: a région, a département, all of France or remotely."),
            ]
            valid = False
        return valid

    def to_data(self) -> dict:
        """The public fields as plain data (see services.provider_data)."""
        data = {name: self[name].data for name in FIELD_LABELS if name not in _CONVERTED}
        data["software"] = split_tags(self.software.data)
        data["show_public_email"] = self.show_public_email.data != "0"
        return data

    def logo_stream(self):
        """The uploaded logo's stream, or None when no file was chosen."""
        upload = self.logo.data
        return upload.stream if upload and getattr(upload, "filename", "") else None

    def refuse_logo(self, reason: str) -> None:
        self.logo.errors = [*self.logo.errors, str(LOGO_ERRORS[reason])]

    def fill(self, data: dict) -> None:
        """Pre-fills the form from plain data, on a GET."""
        for name in FIELD_LABELS:
            if name == "software":
                self.software.data = ", ".join(data.get("software", []))
            elif name == "show_public_email":
                self.show_public_email.data = "0" if data.get(name) is False else "1"
            elif name in data:
                self[name].data = data[name]


def split_tags(text: str | None) -> list[str]:
    return [tag.strip() for tag in (text or "").split(",") if tag.strip()]


class ApplicationForm(SubmittedOnce, ProviderForm):
    """Applying for a new entry: the public fields plus a private contact and the charter."""

    contact_email = EmailField(
        _l("Your contact email (private)"),
        description=_l("We write to you here about your application. It is never shown publicly."),
        validators=[
            InputRequired(),
            Length(max=254),
            Email(message=_l("Enter a valid email address.")),
        ],
    )
    charter = BooleanField(
        _l("I have read the directory's charter and my structure commits to it."),
        validators=[InputRequired(message=_l("Please accept the charter to apply."))],
    )
    # Honeypot: hidden from people by CSS, filled in by naive robots.
    nickname = StringField(_l("Leave this field empty"))
