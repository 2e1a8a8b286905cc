"""Personal data: what a person can download about themselves, erasure, and retention."""

from datetime import timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import or_, select

from directory import search
from directory.extensions import db
from directory.models import Application, ApplicationState, Provider
from directory.models.provider import utcnow
from directory.services import audit, logos
from directory.services.provider_data import PERSONAL_FIELDS, snapshot, without_personal
from directory.services.public_data import iso_datetime


def _application_record(application: Application) -> dict:
    return {
        "reference": application.reference,
        "kind": application.kind.value,
        "state": application.state.value,
        "submitted": iso_datetime(application.created_at),
        "language": application.locale,
        "contact_email": application.contact_email,
        "entry": application.data,
        "messages": [
            {"date": iso_datetime(m.created_at), "kind": m.kind.value, "text": m.body}
            for m in application.messages
        ],
    }


def application_export(application: Application) -> dict:
    """Everything kept about an application, for its applicant."""
    return {"application": _application_record(application)}


def provider_export(provider: Provider) -> dict:
    """Everything kept about a listed provider, private contact and history included."""
    history = db.session.scalars(
        select(Application).where(Application.provider_id == provider.id).order_by(Application.id)
    )
    return {
        "entry": {**snapshot(provider), "slug": provider.slug},
        "contact_email": provider.contact_email,
        "language": provider.locale,
        "listed_since": iso_datetime(provider.created_at),
        "applications": [_application_record(a) for a in history],
    }


class NotErasable(Exception):
    """An approved application belongs to a listed entry: remove the entry instead."""


def erase_application(application_id: int) -> None:
    """Deletes an application that did not become an entry, with its logo and messages."""
    application = db.session.get(Application, application_id)
    if application is None:
        return
    if application.state == ApplicationState.APPROVED and application.provider_id:
        raise NotErasable
    logo = application.logo_filename
    audit.record(
        "application.erased",
        actor="applicant",
        application_id=application.id,
        provider_id=application.provider_id,
        fields=["application"],
    )
    db.session.delete(application)
    db.session.commit()
    logos.delete_logo(logo, Path(current_app.config["LOGO_DIR"]))


def _scrub(application: Application) -> str | None:
    """Removes the personal values of an application; returns its logo file to delete."""
    logo = application.logo_filename
    application.contact_email = None
    application.logo_filename = None
    application.data = without_personal(application.data)
    application.previous_data = without_personal(application.previous_data)
    application.replaced_data = without_personal(application.replaced_data)
    for message in application.messages:
        message.body = ""
    return logo


def purge(now=None) -> int:
    """Erases the personal data of applications rejected PURGE_REJECTED_DAYS ago and of
    applications left unanswered PURGE_ABANDONED_DAYS after a request for changes, then
    optimises the index so that erased text leaves its files. Returns how many were purged."""
    now = now or utcnow()
    config = current_app.config
    rejected_before = now - timedelta(days=config["PURGE_REJECTED_DAYS"])
    abandoned_before = now - timedelta(days=config["PURGE_ABANDONED_DAYS"])
    stale = db.session.scalars(
        select(Application).where(
            or_(Application.contact_email.is_not(None), Application.logo_filename.is_not(None)),
            or_(
                (Application.state == ApplicationState.REJECTED)
                & (Application.decided_at < rejected_before),
                (Application.state == ApplicationState.CHANGES_REQUESTED)
                & (Application.decided_at < abandoned_before),
            ),
        )
    ).all()
    files = []
    for application in stale:
        files.append(_scrub(application))
        audit.record(
            "application.purged",
            actor="system",
            application_id=application.id,
            fields=["contact_email", *PERSONAL_FIELDS, "logo", "messages"],
        )
    db.session.commit()
    for filename in files:
        logos.delete_logo(filename, Path(config["LOGO_DIR"]))
    search.optimize()
    return len(stale)
