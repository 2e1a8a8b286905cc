"""The audit log as moderators read it: each entry with the moderator's email, the
application's reference and the entry's name, and its action, actor and field names in the
moderator's language (the log itself stores codes, which are stable and language-free)."""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from directory.extensions import db
from directory.models import Application, AuditEntry, Moderator, Provider
from directory.services import audit
from directory.services.provider_data import FIELD_LABELS

ACTIONS = {
    "application.submitted": _l("Application sent"),
    "application.imported": _l("Application imported"),
    "application.amended": _l("Application amended"),
    "application.approved": _l("Application approved"),
    "application.rejected": _l("Application rejected"),
    "application.changes_requested": _l("Changes asked for"),
    "application.erased": _l("Application erased"),
    "application.purged": _l("Personal data purged"),
    "update.submitted": _l("Update sent"),
    "removal.requested": _l("Removal asked for"),
    "provider.published": _l("Entry published"),
    "provider.updated": _l("Entry updated"),
    "provider.erased": _l("Entry erased"),
    "entry.confirmed": _l("Entry confirmed as still right"),
    "reminder.sent": _l("Reminder sent"),
    "reminder.resent": _l("Second reminder sent"),
    "entry.unpublished_stale": _l("Entry taken offline, not verified for too long"),
    "entry.republished": _l("Entry back online"),
    "report.received": _l("Problem reported by a visitor"),
    "report.provider_asked": _l("Provider asked to confirm or correct"),
    "report.unpublished": _l("Entry taken offline after a report"),
    "report.closed": _l("Report closed"),
    "testimonial.received": _l("Testimonial received"),
    "testimonial.approved": _l("Testimonial published"),
    "testimonial.rejected": _l("Testimonial rejected"),
    "testimonial.erased": _l("Testimonial erased by its author"),
    "reply.received": _l("Reply to a testimonial received"),
    "reply.approved": _l("Reply published"),
    "reply.rejected": _l("Reply rejected"),
    "moderator.created": _l("Moderator account created"),
    "moderator.disabled": _l("Moderator account disabled"),
    "moderator.enabled": _l("Moderator account enabled"),
    "moderator.locked": _l("Moderator account locked"),
    "moderator.password_changed": _l("Password changed"),
    "moderator.removed": _l("Moderator account removed"),
}
ACTORS = {
    "moderator": _l("a moderator"),
    "applicant": _l("the applicant"),
    "provider": _l("the provider"),
    "system": _l("the system"),
    "visitor": _l("a visitor"),
}
# Field names the log records besides the public fields of an entry.
OTHER_FIELDS = {
    "logo": _l("Logo"),
    "contact_email": _l("Private contact"),
    "last_verified_on": _l("Last verification"),
    "published": _l("Shown online"),
    "messages": _l("Messages"),
    "application": _l("Application"),
    "email": _l("Email"),
    "role": _l("Role"),
    "enabled": _l("Account enabled"),
    "password": _l("Password"),
}


@dataclass(frozen=True)
class AuditRow:
    """One entry and what it refers to, ready to show."""

    entry: AuditEntry
    action: str
    who: str
    fields: list[str]
    application_reference: str | None
    provider_name: str | None
    provider_slug: str | None  # only while the entry is published


def _by_id(model, columns, ids) -> dict:
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    rows = db.session.execute(select(model.id, *columns).where(model.id.in_(ids)))
    return {row[0]: row[1:] for row in rows}


def rows(provider_id: int | None = None, limit: int = 200) -> list[AuditRow]:
    """The newest entries first (see audit.entries), with what they refer to read in three
    more queries, whatever the number of entries."""
    entries = audit.entries(provider_id=provider_id, limit=limit)
    moderators = _by_id(Moderator, [Moderator.email], (e.moderator_id for e in entries))
    references = _by_id(Application, [Application.reference], (e.application_id for e in entries))
    providers = _by_id(
        Provider,
        [Provider.name, Provider.slug, Provider.published],
        (e.provider_id for e in entries),
    )
    labels = {**FIELD_LABELS, **OTHER_FIELDS}
    result = []
    for entry in entries:
        name, slug, published = providers.get(entry.provider_id, (None, None, False))
        moderator = moderators.get(entry.moderator_id, (None,))[0]
        result.append(
            AuditRow(
                entry=entry,
                action=str(ACTIONS.get(entry.action, entry.action)),
                who=moderator or str(ACTORS.get(entry.actor, entry.actor)),
                fields=[str(labels.get(name, name)) for name in entry.field_names],
                application_reference=references.get(entry.application_id, (None,))[0],
                provider_name=name,
                provider_slug=slug if published else None,
            )
        )
    return result
