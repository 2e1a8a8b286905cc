"""The form a visitor fills to report a problem with an entry."""

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, RadioField, SelectChoice, StringField, TextAreaField
from wtforms.validators import Email, InputRequired, Length, Optional, ValidationError

from directory.forms.base import DirectoryForm, SubmittedOnce
from directory.forms.contact import check_message, plain_address
from directory.models import ReportReason
from directory.services.reports import REASONS, ReportDraft


class ReportForm(SubmittedOnce, DirectoryForm):
    reason = RadioField(
        _l("What is wrong?"),
        choices=[SelectChoice(reason.value, label) for reason, label in REASONS.items()],
        validators=[InputRequired(message=_l("Choose what is wrong with this entry."))],
    )
    body = TextAreaField(
        _l("Details"),
        description=_l(
            "Optional, but it helps: what is wrong, and what is right if you know it. "
            "Required when you choose \u201cOther\u201d."
        ),
    )
    email = EmailField(
        _l("Your email"),
        description=_l(
            "Optional: only if a moderator may write to you about this report. It is "
            "deleted when the report is closed, and never shown."
        ),
        validators=[
            Optional(),
            Length(max=254),
            Email(message=_l("Enter a valid email address.")),
            plain_address,
        ],
    )
    # Honeypot: hidden from people by CSS, filled in by naive robots.
    nickname = StringField(_l("Leave this field empty"))

    def __init__(self, locale: str, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.locale = locale

    def validate_body(self, field):
        check_message(field.data, "REPORT_MAX_LENGTH", "REPORT_MAX_LINKS")
        if self.reason.data == ReportReason.OTHER.value and not (field.data or "").strip():
            raise ValidationError(_l("Say what the problem is."))

    def draft(self) -> ReportDraft:
        return ReportDraft(
            reason=ReportReason(self.reason.data),
            body=self.body.data or "",
            email=(self.email.data or "").strip() or None,
            locale=self.locale,
        )
