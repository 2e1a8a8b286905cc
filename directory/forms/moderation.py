"""Forms of the moderators' area and of the providers' self-service pages."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    EmailField,
    HiddenField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectChoice,
    TextAreaField,
)
from wtforms.validators import Email, EqualTo, InputRequired, Length, NumberRange
from wtforms.widgets import HiddenInput

from directory.forms.base import DirectoryForm
from directory.models import Role
from directory.moderation_items import kind_choices, state_choices


class DecisionForm(DirectoryForm):
    """Approve, reject or ask for changes; `version` is the one the moderator saw."""

    version = IntegerField(widget=HiddenInput(), validators=[InputRequired(), NumberRange(min=1)])
    message = TextAreaField(
        _l("Message to the applicant"),
        description=_l("Required to reject or to ask for changes; the applicant reads it."),
        validators=[Length(max=5000)],
    )


class QueueFilterForm(DirectoryForm):
    """The queue's filters: a state and a kind, with the choices every kind of item declares
    (directory.moderation_items)."""

    class Meta:
        csrf = False

    state = RadioField(_l("State"), default="open", validate_choice=False)
    kind = RadioField(_l("Kind"), default="all", validate_choice=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.state.choices = [SelectChoice(c.value, c.label) for c in state_choices()]
        self.kind.choices = [SelectChoice(c.value, c.label) for c in kind_choices()]

    def selection(self) -> tuple[str, str]:
        """(state, kind) to list; "Waiting" and "All" stand for the open states and every
        kind, and so does anything unknown in the query string."""
        states = {choice.value for choice in state_choices()}
        kinds = {choice.value for choice in kind_choices()}
        return (
            self.state.data if self.state.data in states else "open",
            self.kind.data if self.kind.data in kinds else "all",
        )


class LoginForm(DirectoryForm):
    email = EmailField(_l("Email"), validators=[InputRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[InputRequired(), Length(max=1000)])
    next = HiddenField()


class ModeratorForm(DirectoryForm):
    email = EmailField(
        _l("Email"),
        validators=[
            InputRequired(),
            Length(max=254),
            Email(message=_l("Enter a valid email address.")),
        ],
    )
    password = PasswordField(
        _l("Password"),
        description=_l("At least 12 characters."),
        validators=[InputRequired(), Length(min=12, max=1000)],
    )
    role = RadioField(
        _l("Role"),
        choices=[
            SelectChoice(Role.MODERATOR.value, _l("Moderator")),
            SelectChoice(Role.ADMIN.value, _l("Administrator")),
        ],
        default=Role.MODERATOR.value,
    )


class PasswordChangeForm(DirectoryForm):
    current = PasswordField(_l("Current password"), validators=[InputRequired(), Length(max=1000)])
    new = PasswordField(
        _l("New password"),
        description=_l(
            "At least 12 characters, hard to guess: a sentence of several words works well."
        ),
        validators=[InputRequired(), Length(min=12, max=1000)],
    )
    confirm = PasswordField(
        _l("New password again"),
        validators=[InputRequired(), EqualTo("new", message=_l("The two passwords differ."))],
    )


class ActionForm(DirectoryForm):
    """A button that changes state: nothing but the CSRF token."""


class EditLinkForm(DirectoryForm):
    email = EmailField(
        _l("Contact email of the entry"),
        validators=[
            InputRequired(),
            Length(max=254),
            Email(message=_l("Enter a valid email address.")),
        ],
    )
