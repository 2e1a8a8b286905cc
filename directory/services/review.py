"""What moderators read: the queue, one item, and what an item changes, field by field."""

from dataclasses import dataclass

from sqlalchemy import func, select

from directory.extensions import db
from directory.models import OPEN_STATES, Application, ApplicationKind, ApplicationState
from directory.services.provider_data import (
    CONTACT_CHOICES,
    FIELD_LABELS,
    changed_fields,
    normalise,
    snapshot,
)
from directory.services.taxonomy import Taxonomy

# Fields holding vocabulary codes, and the vocabulary (Taxonomy attribute) that labels them.
_VOCABULARIES = {
    "kind": "structure_kinds",
    "work_mode": "work_modes",
    "services": "services",
    "price_models": "price_models",
    "audiences": "audiences",
    "languages": "languages",
    "regions": "regions",
    "departements": "departements",
}


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    before: object
    after: object


def queue(states=OPEN_STATES, kinds=tuple(ApplicationKind)) -> list[Application]:
    """Applications in these states and kinds, oldest submission first."""
    return list(
        db.session.scalars(
            select(Application)
            .where(Application.state.in_(list(states)), Application.kind.in_(list(kinds)))
            .order_by(Application.submitted_at, Application.id)
        )
    )


def pending_count() -> int:
    return db.session.scalar(
        select(func.count(Application.id)).where(Application.state == ApplicationState.PENDING)
    )


def get(application_id: int) -> Application | None:
    return db.session.get(Application, application_id)


def _changes(before: dict, after: dict) -> list[FieldChange]:
    before, after = normalise(before), normalise(after)
    return [
        FieldChange(field, str(FIELD_LABELS[field]), before[field], after[field])
        for field in changed_fields(before, after)
    ]


def diff(application: Application) -> list[FieldChange]:
    """Field-by-field changes of an update against the published entry, or, once approved,
    against the values it replaced (kept at the decision)."""
    if application.replaced_data is not None:
        return _changes(application.replaced_data, application.data)
    if application.kind != ApplicationKind.UPDATE or application.provider is None:
        return []
    return _changes(snapshot(application.provider), application.data)


def amendments(application: Application) -> list[FieldChange]:
    """What the applicant changed in their last amendment, field by field."""
    if application.previous_data is None:
        return []
    return _changes(application.previous_data, application.data)


def labelled(field: str, value, taxonomy: Taxonomy, locale: str):
    """`value` of `field` as a moderator reads it: vocabulary codes ("sliding_scale", "84")
    become their labels in `locale`; a code no longer in the vocabulary stays as it is; the
    choice of contact on the page is said in plain words, not "Yes" or "No"."""
    if field == "show_public_email":
        return str(CONTACT_CHOICES[value is not False])  # absent from older data: shown
    vocabulary = _VOCABULARIES.get(field)
    if vocabulary is None or not value:
        return value
    terms = {term.code: term for term in getattr(taxonomy, vocabulary)}

    def label(code):
        return terms[code].label(locale) if code in terms else code

    return label(value) if isinstance(value, str) else [label(code) for code in value]
