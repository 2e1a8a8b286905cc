"""What applicants and listed providers do: apply, amend, update, confirm, ask for removal."""

import secrets
from datetime import date
from pathlib import Path

from flask import current_app, url_for
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError

from directory.extensions import db
from directory.models import (
    OPEN_STATES,
    Application,
    ApplicationKind,
    ApplicationState,
    Provider,
)
from directory.models.provider import utcnow
from directory.services import audit, index_log, indexing, logos, mail, tokens
from directory.services.provider_data import FIELD_LABELS, changed_fields, normalise, snapshot

_REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


class ApplicationError(Exception):
    """Base of the errors an applicant can meet; views turn them into form errors."""


class NotAmendable(ApplicationError):
    """Only an application the moderators sent back can be amended."""


class NothingChanged(ApplicationError):
    """An update that changes no field."""


def _new_reference() -> str:
    while True:
        raw = "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(8))
        reference = f"{raw[:4]}-{raw[4:]}"
        if not db.session.scalar(select(Application.id).where(Application.reference == reference)):
            return reference


def status_url(application: Application) -> str:
    token = tokens.status_token(application.id, application.reference)
    return url_for("applications.status", token=token, _external=True)


def edit_url(provider: Provider) -> str:
    token = tokens.edit_token(provider.id, provider.contact_email or "")
    return url_for("entries.edit", token=token, _external=True)


def store_logo(stream) -> str | None:
    """Stores an uploaded logo, or returns None when there is none. Raises
    logos.LogoRejected before anything is written to the database."""
    if stream is None:
        return None
    return logos.store_logo(stream, Path(current_app.config["LOGO_DIR"]))


def notify(application: Application, template: str, to: str | None = None, **context) -> None:
    """Queues an email to the applicant (or `to`) in the language of the application, with
    its status link, in the current session: call it before the commit (it is sent after).
    Does nothing when there is no address left (erased)."""
    recipient = to or application.contact_email
    if recipient:
        mail.render_and_send(
            recipient,
            template,
            application.locale,
            cause=f"application {application.id}: {template}",
            application=application,
            status_url=status_url(application),
            **context,
        )


def _queue(
    kind: ApplicationKind, *, actor: str, action: str, fields: list[str], **values
) -> Application:
    """Adds an application to the queue and its audit entry to the session (caller commits)."""
    application = Application(
        reference=_new_reference(), kind=kind, state=ApplicationState.PENDING, **values
    )
    db.session.add(application)
    db.session.flush()
    audit.record(
        action,
        actor=actor,
        application_id=application.id,
        provider_id=application.provider_id,
        fields=fields,
    )
    return application


def submit_new(
    data: dict, contact_email: str, locale: str, logo=None, submission_key: str | None = None
) -> Application:
    """Queues an application for a new entry and emails its status link to the applicant.
    `logo` is an uploaded file's stream or None. The same `submission_key` with the same
    contact email gives back the application it already made (a form posted twice, even at
    once), without a second email. Raises logos.LogoRejected."""
    contact_email = contact_email.strip()
    # One look at the key: with two, a twin committed between them made its key look like
    # another applicant's, and a second application.
    earlier = _submitted_with(submission_key)
    if earlier is not None:
        if earlier.contact_email == contact_email:
            return earlier
        submission_key = None  # another applicant's key: never hand out their application
    logo_filename = store_logo(logo)
    try:
        application = _queue(
            ApplicationKind.NEW,
            actor="applicant",
            action="application.submitted",
            fields=list(FIELD_LABELS),
            data=normalise(data),
            contact_email=contact_email,
            locale=locale,
            logo_filename=logo_filename,
            submission_key=submission_key,
        )
        notify(application, "submitted")
        db.session.commit()
    except IntegrityError:
        # The same form, posted at the same moment, was committed first: give back that one.
        db.session.rollback()
        earlier = _submitted_with(submission_key, contact_email)
        if earlier is None:
            raise
        if logo_filename:
            logos.delete_logo(logo_filename, Path(current_app.config["LOGO_DIR"]))
        return earlier
    return application


def _submitted_with(key: str | None, contact_email: str | None = None) -> Application | None:
    if not key:
        return None
    query = select(Application).where(Application.submission_key == key)
    if contact_email is not None:
        query = query.where(Application.contact_email == contact_email)
    return db.session.scalar(query)


def queue_imported(rows: list[tuple[dict, str | None]], locale: str = "fr") -> list[Application]:
    """Queues imported entries as new applications, all in one transaction (all or none).
    No email is sent: the moderators who imported them know."""
    queued = [
        _queue(
            ApplicationKind.NEW,
            actor="system",
            action="application.imported",
            fields=list(FIELD_LABELS),
            data=normalise(data),
            contact_email=contact_email,
            locale=locale,
        )
        for data, contact_email in rows
    ]
    db.session.commit()
    return queued


def by_status_token(token: str) -> Application | None:
    found = tokens.read_status_token(token)
    if found is None:
        return None
    application = db.session.get(Application, found[0])
    if application is None or application.reference != found[1]:
        return None
    return application


def amend(application_id: int, data: dict, logo=None) -> Application:
    """Sends an application the moderators sent back to the queue again, with new data. The
    version they saw is kept in previous_data, and the date it was first sent in created_at,
    so that the moderator sees what changed and when. Raises NotAmendable (not waiting for the
    applicant) or logos.LogoRejected."""
    application = db.session.get(Application, application_id)
    if application is None or application.state != ApplicationState.CHANGES_REQUESTED:
        raise NotAmendable
    logo_filename = store_logo(logo)
    changed = changed_fields(application.data, data)
    application.previous_data = application.data
    application.data = normalise(data)
    if logo_filename:
        application.logo_filename = logo_filename
        changed.append("logo")
    application.state = ApplicationState.PENDING
    application.submitted_at = utcnow()
    audit.record(
        "application.amended",
        actor="applicant",
        application_id=application.id,
        provider_id=application.provider_id,
        fields=changed,
    )
    db.session.commit()
    return application


def published_provider(provider_id: int) -> Provider | None:
    provider = db.session.get(Provider, provider_id)
    return provider if provider is not None and provider.published else None


def _require_published(provider_id: int) -> Provider:
    provider = published_provider(provider_id)
    if provider is None:
        raise ApplicationError("unknown or withdrawn provider")
    return provider


def _offline_for_staleness(provider_id: int) -> Provider | None:
    """An entry taken offline for want of verification: its provider may still confirm it."""
    provider = db.session.get(Provider, provider_id)
    return provider if provider is not None and provider.unpublished_stale_on else None


def provider_by_edit_token(token: str, offline_ok: bool = False) -> Provider | None:
    """The published provider an edit link is for (or, with offline_ok, one taken offline
    for want of verification, which may confirm it); None if forged, expired or outdated."""
    found = tokens.read_edit_token(token)
    if found is None:
        return None
    provider = published_provider(found[0])
    if provider is None and offline_ok:
        provider = _offline_for_staleness(found[0])
    if provider is None or not tokens.names_email(found[1], provider.contact_email or ""):
        return None
    return provider


def send_edit_link(email: str, locale: str) -> None:
    """Emails an edit link to each published provider with this contact email (and to each
    one offline for want of verification, so it can come back). Says nothing of whether
    there was one, so the page cannot be used to test addresses."""
    email = email.strip().casefold()
    if not email:
        return
    matches = db.session.scalars(
        select(Provider).where(
            func.lower(Provider.contact_email) == email,
            or_(Provider.published, Provider.unpublished_stale_on.is_not(None)),
        )
    )
    for provider in matches:
        mail.render_and_send(
            provider.contact_email,
            "edit_link",
            locale,
            cause=f"provider {provider.id}: edit link",
            provider=provider,
            edit_url=edit_url(provider),
        )
    db.session.commit()


def open_update(provider_id: int) -> Application | None:
    """The update of this entry still waiting for a moderator or for its author, if any."""
    return db.session.scalars(
        select(Application)
        .where(
            Application.provider_id == provider_id,
            Application.kind == ApplicationKind.UPDATE,
            Application.state.in_(OPEN_STATES),
        )
        .order_by(Application.id.desc())
    ).first()


def _close_open_updates(provider_id: int) -> None:
    for older in db.session.scalars(
        select(Application).where(
            Application.provider_id == provider_id,
            Application.kind == ApplicationKind.UPDATE,
            Application.state.in_(OPEN_STATES),
        )
    ):
        older.state = ApplicationState.SUPERSEDED


def submit_update(provider_id: int, data: dict, locale: str, logo=None) -> Application:
    """Queues an update of a published entry, which stays online unchanged until approved.
    A still-open update of the same entry is superseded by this one: the edit form starts from
    the open update's values (see open_update), so `data` carries the changes of both, and
    its new logo is kept unless another is sent. Raises NothingChanged or
    logos.LogoRejected."""
    provider = _require_published(provider_id)
    pending = open_update(provider.id)
    kept_logo = pending.logo_filename if pending is not None else None
    changed = changed_fields(snapshot(provider), data)
    if not changed and logo is None and kept_logo is None:
        raise NothingChanged
    logo_filename = store_logo(logo) or kept_logo
    if logo_filename:
        changed.append("logo")
    _close_open_updates(provider.id)
    application = _queue(
        ApplicationKind.UPDATE,
        actor="provider",
        action="update.submitted",
        fields=changed,
        provider=provider,
        data=normalise(data),
        contact_email=provider.contact_email,
        locale=locale,
        logo_filename=logo_filename,
    )
    notify(application, "submitted")
    db.session.commit()
    return application


def confirm_entry(provider_id: int) -> Provider:
    """The provider says its entry is still right: it counts as verified today, and an entry
    taken offline for want of verification is published again."""
    provider = published_provider(provider_id) or _offline_for_staleness(provider_id)
    if provider is None:
        raise ApplicationError("unknown or withdrawn provider")
    provider.mark_verified(date.today())
    audit.record(
        "entry.confirmed", actor="provider", provider_id=provider.id, fields=["last_verified_on"]
    )
    if not provider.published:
        provider.published, provider.unpublished_stale_on = True, None
        audit.record("entry.republished", actor="provider", provider_id=provider.id)
    index_log.record(upserts=[provider.id])
    db.session.commit()
    indexing.apply_committed()
    return provider


def request_removal(provider_id: int, locale: str) -> Application:
    """Unpublishes the entry at once and queues the erasure for a moderator to confirm."""
    provider = _require_published(provider_id)
    _close_open_updates(provider.id)
    provider.published = False
    application = _queue(
        ApplicationKind.REMOVAL,
        actor="provider",
        action="removal.requested",
        fields=["published"],
        provider=provider,
        data=snapshot(provider),
        contact_email=provider.contact_email,
        locale=locale,
    )
    index_log.record(removals=[provider.id])
    notify(application, "removal_requested")
    db.session.commit()
    indexing.apply_committed()
    return application
