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
from directory.models import OPEN_STATES, ApplicationKind, ApplicationState, Role


class DecisionForm(DirectoryForm):
    """Approve, reject or ask for changes; `version` is the one the moderator saw."""

    version = IntegerField(widget=HiddenInput(), validators=[InputRequired(), NumberRange(min=1)])
    message = TextAreaField(
        _l("Message to the applicant"),
        description=_l("Required to reject or to ask for changes; the applicant reads it."),
        validators=[Length(max=5000)],
    )


class QueueFilterForm(DirectoryForm):
    class Meta:
        csrf = False

    state = RadioField(
        _l("State"),
        choices=[
            SelectChoice("open", _l("Waiting")),
            SelectChoice(ApplicationState.PENDING.value, _l("Pending")),
            SelectChoice(ApplicationState.CHANGES_REQUESTED.value, _l("Changes requested")),
            SelectChoice(ApplicationState.APPROVED.value, _l("Approved")),
            SelectChoice(ApplicationState.REJECTED.value, _l("Rejected")),
        ],
        default="open",
        validate_choice=False,
    )
    kind = RadioField(
        _l("Kind"),
        choices=[
            SelectChoice("all", _l("All")),
            SelectChoice(ApplicationKind.NEW.value, _l("New entries")),
            SelectChoice(ApplicationKind.UPDATE.value, _l("Updates")),
            SelectChoice(ApplicationKind.REMOVAL.value, _l("Removals")),
        ],
        default="all",
        validate_choice=False,
    )

    def selection(self) -> tuple[list, list]:
        """(states, kinds) to list; "Waiting" and "All" stand for the open states and every
        kind, and so does anything unknown in the query string."""
        states = {s.value for s in ApplicationState}
        kinds = {k.value for k in ApplicationKind}
        return (
            [self.state.data] if self.state.data in states else list(OPEN_STATES),
            [self.kind.data] if self.kind.data in kinds else list(ApplicationKind),
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
