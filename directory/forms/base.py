"""The base of every form: one check of the characters of every field, that no form forgets."""

from flask_wtf import FlaskForm

from directory.forms.validators import storable_text


class DirectoryForm(FlaskForm):
    """A FlaskForm whose every field (text, or list of texts) passes storable_text, on top of
    its own validators: a new field is covered without anyone remembering to add it."""

    def validate(self, extra_validators=None) -> bool:
        extra = {name: list(validators) for name, validators in (extra_validators or {}).items()}
        for name in self._fields:
            extra.setdefault(name, []).append(storable_text)
        return super().validate(extra)
