"""The form an association (or a visitor, after confirming its email) fills to say how a
provider helped it, and the provider's reply."""

from datetime import date

from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from wtforms import (
    EmailField,
    HiddenField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, InputRequired, Length, ValidationError

from directory.forms.base import DirectoryForm
from directory.forms.contact import check_message, plain_address
from directory.forms.provider import MultiCheckboxField
from directory.forms.validators import single_line
from directory.services.taxonomy import Taxonomy
from directory.services.testimonials import TestimonialDraft

MONTHS_BACK = 24


def recent_months(today: date) -> list[tuple[str, date]]:
    """The last MONTHS_BACK months, this one first, as ("2026-11", its first day)."""
    months, year, month = [], today.year, today.month
    for _ in range(MONTHS_BACK):
        months.append((f"{year:04d}-{month:02d}", date(year, month, 1)))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months


class TestimonialForm(DirectoryForm):
    # Shown only when the invitation speaks of several providers; one is chosen by default
    # (so its data, not a posted value, is what is required).
    provider = RadioField(
        _l("Which provider is your testimonial about?"),
        validators=[DataRequired(message=_l("Choose the provider your testimonial is about."))],
    )
    services = MultiCheckboxField(
        _l("What did the provider do for you?"),
        validators=[InputRequired(message=_l("Choose at least one service."))],
    )
    month = SelectField(_l("When?"), validators=[InputRequired()])
    recommend = RadioField(
        _l("Would you recommend this provider to another association?"),
        choices=[SelectChoice("yes", _l("Yes")), SelectChoice("no", _l("No"))],
        validators=[InputRequired(message=_l("Say whether you would recommend it."))],
    )
    body = TextAreaField(
        _l("Your testimonial"),
        description=_l(
            "A few lines: what you needed, how it went. Shown once a moderator has read it."
        ),
        validators=[InputRequired(), Length(min=20)],
    )
    signature = RadioField(
        _l("Sign as"),
        choices=[
            SelectChoice("name", _l("The name of my association")),
            SelectChoice("anonymous", _l("An association of my région, without its name")),
        ],
        default="name",
        validators=[InputRequired()],
    )
    author_name = StringField(
        _l("Name of your association"), validators=[Length(max=200), single_line]
    )
    # Checked in validate_region: empty is a valid answer when signing with the name.
    region = SelectField(_l("Your région"), validate_choice=False)

    def __init__(self, taxonomy: Taxonomy, providers: list, locale: str, today, **kwargs):
        """`providers`: those the association may still speak of (at least one)."""
        if len(providers) == 1:
            kwargs.setdefault("provider", providers[0].slug)
        super().__init__(**kwargs)
        self.locale = locale
        self.provider.choices = [SelectChoice(p.slug, p.name) for p in providers]
        offered = {service.code for provider in providers for service in provider.services}
        self.services.choices = [
            SelectChoice(t.code, t.label(locale)) for t in taxonomy.services if t.code in offered
        ] or [SelectChoice(t.code, t.label(locale)) for t in taxonomy.services]
        self.month.choices = [
            SelectChoice(code, format_date(first, "MMMM yyyy"))
            for code, first in recent_months(today)
        ]
        self.region.choices = [SelectChoice("", "—")] + [
            SelectChoice(r.code, r.label(locale)) for r in taxonomy.regions
        ]

    def validate_body(self, field):
        check_message(field.data, "TESTIMONIAL_MAX_LENGTH", "CONTACT_MAX_LINKS")

    def validate_author_name(self, field):
        if self.signature.data == "name" and not (field.data or "").strip():
            raise ValidationError(_l("Write your association's name, or sign anonymously."))

    def validate_region(self, field):
        codes = {choice.value for choice in field.choices} - {""}
        if field.data and field.data not in codes:
            raise ValidationError(_l("Not a valid choice."))
        if self.signature.data == "anonymous" and not field.data:
            raise ValidationError(_l("Choose your région to sign anonymously."))

    def draft(self) -> TestimonialDraft:
        anonymous = self.signature.data == "anonymous"
        return TestimonialDraft(
            provider_slug=self.provider.data,
            services=list(self.services.data),
            month=self.month.data,
            recommend=self.recommend.data == "yes",
            body=self.body.data,
            author_name="" if anonymous else self.author_name.data.strip(),
            region_code=self.region.data if anonymous else None,
            locale=self.locale,
        )


class VisitorEmailForm(DirectoryForm):
    """A visitor's email, to send it the link to leave a testimonial."""

    email = EmailField(
        _l("Your email"),
        description=_l(
            "We send you a link to write your testimonial. Your email is never shown; it is "
            "kept with your testimonial so that you can erase it, and erased with it."
        ),
        validators=[
            InputRequired(message=_l("Enter your email address.")),
            Length(max=254),
            Email(message=_l("Enter a valid email address.")),
            plain_address,
        ],
    )
    # Honeypot: hidden from people by CSS, filled in by naive robots.
    nickname = StringField(_l("Leave this field empty"))


class EraseForm(DirectoryForm):
    """The button under a testimonial its author may erase: which provider it is about."""

    provider = HiddenField()


class ReplyForm(DirectoryForm):
    body = TextAreaField(
        _l("Your reply"),
        description=_l("One reply per testimonial, shown under it once a moderator has read it."),
        validators=[InputRequired(), Length(min=2)],
    )

    def validate_body(self, field):
        check_message(field.data, "TESTIMONIAL_MAX_LENGTH", "CONTACT_MAX_LINKS")
