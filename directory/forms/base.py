"""The base of every form: one check of the characters of every field, that no form forgets."""

import re
import secrets

from flask_wtf import FlaskForm
from wtforms import HiddenField

from directory.forms.validators import storable_text


class DirectoryForm(FlaskForm):
    """A FlaskForm whose every field (text, or list of texts) passes storable_text, on top of
    its own validators: a new field is covered without anyone remembering to add it."""

    def validate(self, extra_validators=None) -> bool:
        extra = {name: list(validators) for name, validators in (extra_validators or {}).items()}
        for name in self._fields:
            extra.setdefault(name, []).append(storable_text)
        return super().validate(extra)


class SubmittedOnce:
    """A form whose one showing makes one thing, however often it is posted: a key drawn
    when the form is shown, posted back with it (a double click, two tabs); the service
    gives back what the key already made. Anything else than a key is ignored."""

    submission_key = HiddenField(default=lambda: secrets.token_urlsafe(24))

    def submission(self) -> str | None:
        key = self.submission_key.data or ""
        return key if re.fullmatch(r"[A-Za-z0-9_-]{32}", key) else None
