"""Probable duplicates of an application: another entry or open application with the same
name (ignoring case and accents), website host, email or phone.

The keys of every published provider are read in one query of plain columns, so that an
item page costs the same number of statements at 50 providers as at 100,000 (loading whole
providers, with their seven relationships each, cost 350 statements at 50)."""

import re
from dataclasses import dataclass

from sqlalchemy import or_, select

from directory.extensions import db
from directory.models import OPEN_STATES, Application, Provider
from directory.search.documents import sort_key
from directory.services.provider_data import normalise

KEYS = ("name", "website", "email", "phone")


@dataclass(frozen=True)
class Duplicate:
    """One shared key: `field` is one of KEYS; either the entry or the application is set."""

    field: str
    provider_name: str | None = None
    provider_slug: str | None = None
    application_id: int | None = None
    application_reference: str | None = None


def _website_key(url: str) -> str:
    host = re.sub(r"^[a-z]+://", "", url.strip().casefold()).split("/")[0]
    return host.removeprefix("www.")


def _phone_key(phone: str) -> str:
    digits = re.sub(r"\D", "", phone)
    return digits[-9:] if len(digits) >= 9 else digits


def keys(name, website, emails, phone) -> dict[str, set[str]]:
    """The comparison keys of one entry or application, by KEYS."""
    return {
        "name": {sort_key(name)} if name else set(),
        "website": {_website_key(website)} if website else set(),
        "email": {email.strip().casefold() for email in emails if email and email.strip()},
        "phone": {_phone_key(phone)} if phone else set(),
    }


def _application_keys(data: dict, contact_email: str | None) -> dict[str, set[str]]:
    data = normalise(data)
    return keys(
        data["name"], data["website"], (data["public_email"], contact_email), data["public_phone"]
    )


def _shared(wanted: dict, theirs: dict) -> list[str]:
    return [field for field in KEYS if wanted[field] & theirs[field]]


def find(application: Application) -> list[Duplicate]:
    """Published providers (other than the one an update is for) and other open applications
    sharing a key with this application. Two queries, whatever the size of the directory."""
    wanted = _application_keys(application.data, application.contact_email)
    found = []
    rows = db.session.execute(
        select(
            Provider.slug,
            Provider.name,
            Provider.website,
            Provider.public_email,
            Provider.contact_email,
            Provider.public_phone,
        ).where(Provider.published, Provider.id.is_distinct_from(application.provider_id))
    )
    for slug, name, website, public_email, contact_email, phone in rows:
        theirs = keys(name, website, (public_email, contact_email), phone)
        found += [
            Duplicate(f, provider_name=name, provider_slug=slug) for f in _shared(wanted, theirs)
        ]
    others = select(
        Application.id, Application.reference, Application.data, Application.contact_email
    ).where(Application.state.in_(list(OPEN_STATES)), Application.id != application.id)
    if application.provider_id is not None:
        others = others.where(
            or_(
                Application.provider_id.is_(None),
                Application.provider_id != application.provider_id,
            )
        )
    for other_id, reference, data, contact_email in db.session.execute(others):
        theirs = _application_keys(data, contact_email)
        found += [
            Duplicate(f, application_id=other_id, application_reference=reference)
            for f in _shared(wanted, theirs)
        ]
    return found
