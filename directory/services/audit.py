"""Writes and reads the audit log. Entries are added to the caller's transaction, so that a
change and its record are committed together or not at all."""

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from directory.extensions import db
from directory.models import AuditEntry


class AuditLogIsAppendOnly(Exception):
    """Something tried to change or delete an audit entry."""


@event.listens_for(Session, "before_flush")
def _refuse_changes_to_the_log(session, flush_context, instances):
    """The application only ever adds entries; a change or a deletion is a bug, stopped here
    before it reaches the database."""
    for entry in (*session.dirty, *session.deleted):
        if isinstance(entry, AuditEntry) and (
            entry in session.deleted or session.is_modified(entry)
        ):
            raise AuditLogIsAppendOnly(f"audit entry {entry.id}")


def record(
    action: str,
    *,
    actor: str,
    moderator_id: int | None = None,
    provider_id: int | None = None,
    application_id: int | None = None,
    fields: list[str] | tuple[str, ...] = (),
) -> AuditEntry:
    """Adds an entry to the session (the caller commits). Field names only, never values."""
    entry = AuditEntry(
        action=action,
        actor=actor,
        moderator_id=moderator_id,
        provider_id=provider_id,
        application_id=application_id,
        fields=",".join(fields),
    )
    db.session.add(entry)
    return entry


def entries(provider_id: int | None = None, limit: int = 200) -> list[AuditEntry]:
    """The newest entries first, for one provider or for the whole directory."""
    query = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit)
    if provider_id is not None:
        query = query.where(AuditEntry.provider_id == provider_id)
    return list(db.session.scalars(query))
