"""The decisions on an application: approve, reject, ask for changes (reads are in
services.review, duplicate detection in services.duplicates).

Each decision checks the version of the application the moderator saw, so that two
moderators acting at once never both succeed; the state change and its audit entries are
committed in one transaction, and the search index is updated before the function returns.
"""

import functools
import re
import unicodedata
from datetime import date
from pathlib import Path

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from directory.extensions import db
from directory.models import (
    OPEN_STATES,
    Application,
    ApplicationKind,
    ApplicationMessage,
    ApplicationState,
    MessageKind,
    Provider,
)
from directory.models.provider import utcnow
from directory.services import audit, index_log, indexing, logos
from directory.services.applications import edit_url, notify
from directory.services.provider_data import (
    FIELD_LABELS,
    PERSONAL_FIELDS,
    apply,
    changed_fields,
    snapshot,
    without_personal,
)


class ModerationError(Exception):
    """Base of the errors a moderator can meet."""


class Conflict(ModerationError):
    """Someone else decided on this item since the moderator opened it (every kind of item
    of the queue raises this one)."""


class MessageRequired(ModerationError):
    """Rejecting and asking for changes need a message for the applicant."""


def _slug_for(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:80] or "provider"
    slug, number = base, 2
    while db.session.scalar(select(Provider.id).where(Provider.slug == slug)):
        slug, number = f"{base}-{number}", number + 1
    return slug


def _load_open(application_id: int, seen_version: int, allowed_states) -> Application:
    application = db.session.get(Application, application_id)
    if application is None or application.version != seen_version:
        raise Conflict
    if application.state not in allowed_states:
        raise Conflict
    return application


def _decide(application: Application, state: ApplicationState, moderator_id: int) -> None:
    application.state = state
    application.decided_at = utcnow()
    application.decided_by_id = moderator_id


def _commit(upserts: list[int] = (), removals: list[int] = ()) -> None:
    """Logs these index changes and commits (a concurrent decision is caught by
    one_decision_at_a_time)."""
    index_log.record(upserts, removals)
    db.session.commit()


def one_decision_at_a_time(decision):
    """Turns what the ORM raises when another moderator decided first into a Conflict, with
    the session rolled back. It can come from any flush, autoflushes included, not only the
    commit: the application's version already bumped (StaleDataError), or a row the other
    decision inserted first, such as the new entry's slug (IntegrityError)."""

    @functools.wraps(decision)
    def decide(*args, **kwargs):
        try:
            return decision(*args, **kwargs)
        except (StaleDataError, IntegrityError) as error:
            db.session.rollback()
            raise Conflict from error

    return decide


def _logo_dir() -> Path:
    return Path(current_app.config["LOGO_DIR"])


@one_decision_at_a_time
def approve(application_id: int, moderator_id: int, seen_version: int) -> Application:
    """Publishes a new entry, applies an update or erases a removed entry. Raises Conflict."""
    application = _load_open(application_id, seen_version, [ApplicationState.PENDING])
    actor = {"actor": "moderator", "moderator_id": moderator_id}
    old_logo = None
    if application.kind == ApplicationKind.REMOVAL:
        return _erase(application, moderator_id)
    if application.kind == ApplicationKind.NEW:
        provider = Provider(
            slug=_slug_for(application.data.get("name", "")),
            contact_email=application.contact_email,
            logo_filename=application.logo_filename,
        )
        apply(provider, application.data)
        db.session.add(provider)
        application.provider = provider
        fields = list(FIELD_LABELS)
        action = "provider.published"
    else:
        provider = application.provider
        application.replaced_data = snapshot(provider)
        fields = changed_fields(application.replaced_data, application.data)
        apply(provider, application.data)
        if application.logo_filename:
            old_logo, provider.logo_filename = provider.logo_filename, application.logo_filename
            fields.append("logo")
        action = "provider.updated"
    provider.mark_verified(date.today())
    provider.updated_at = utcnow()
    provider.locale = application.locale
    _decide(application, ApplicationState.APPROVED, moderator_id)
    application.messages.append(ApplicationMessage(kind=MessageKind.APPROVED))
    db.session.flush()
    audit.record(
        "application.approved", application_id=application.id, provider_id=provider.id, **actor
    )
    audit.record(
        action, provider_id=provider.id, application_id=application.id, fields=fields, **actor
    )
    notify(application, "approved", provider=provider, edit_url=edit_url(provider))
    _commit(upserts=[provider.id])
    indexing.apply_committed()
    if old_logo and old_logo != provider.logo_filename:
        logos.delete_logo(old_logo, _logo_dir())
    return application


def _erase(application: Application, moderator_id: int) -> Application:
    """Deletes the entry and every personal value kept about it (contact, phone, logo)."""
    provider = application.provider
    recipient = application.contact_email
    logo_files = {application.logo_filename}
    provider_id = application.provider_id
    if provider is not None:
        logo_files.add(provider.logo_filename)
        for related in db.session.scalars(
            select(Application).where(Application.provider_id == provider.id)
        ):
            logo_files.add(related.logo_filename)
            related.contact_email = None
            related.logo_filename = None
            related.data = without_personal(related.data)
            related.previous_data = without_personal(related.previous_data)
            related.replaced_data = without_personal(related.replaced_data)
        db.session.delete(provider)
    _decide(application, ApplicationState.APPROVED, moderator_id)
    application.messages.append(ApplicationMessage(kind=MessageKind.APPROVED))
    audit.record(
        "provider.erased",
        actor="moderator",
        moderator_id=moderator_id,
        provider_id=provider_id,
        application_id=application.id,
        fields=["contact_email", *PERSONAL_FIELDS, "logo"],
    )
    notify(application, "erased", to=recipient)
    _commit(removals=[] if provider_id is None else [provider_id])
    if provider_id is not None:
        indexing.apply_committed()
    for filename in logo_files - {None}:
        logos.delete_logo(filename, _logo_dir())
    return application


def _send_back(application_id, moderator_id, seen_version, message, state, kind, allowed):
    if not (message or "").strip():
        raise MessageRequired
    application = _load_open(application_id, seen_version, allowed)
    _decide(application, state, moderator_id)
    application.messages.append(ApplicationMessage(kind=kind, body=message.strip()))
    republish = (
        application.kind == ApplicationKind.REMOVAL
        and state == ApplicationState.REJECTED
        and application.provider is not None
    )
    if republish:
        application.provider.published = True
    audit.record(
        f"application.{state.value}",
        actor="moderator",
        moderator_id=moderator_id,
        application_id=application.id,
        provider_id=application.provider_id,
    )
    notify(application, state.value, message=message.strip())
    _commit(upserts=[application.provider_id] if republish else [])
    if republish:
        indexing.apply_committed()
    return application


@one_decision_at_a_time
def reject(application_id: int, moderator_id: int, seen_version: int, reason: str) -> Application:
    """Refuses an application with a reason the applicant sees. A refused removal puts the
    entry back online. Raises MessageRequired or Conflict."""
    return _send_back(
        application_id,
        moderator_id,
        seen_version,
        reason,
        ApplicationState.REJECTED,
        MessageKind.REJECTED,
        OPEN_STATES,
    )


@one_decision_at_a_time
def request_changes(
    application_id: int, moderator_id: int, seen_version: int, message: str
) -> Application:
    """Sends an application back to the applicant, who can amend it from the status link.
    Raises MessageRequired or Conflict."""
    return _send_back(
        application_id,
        moderator_id,
        seen_version,
        message,
        ApplicationState.CHANGES_REQUESTED,
        MessageKind.CHANGES_REQUESTED,
        [ApplicationState.PENDING],
    )
