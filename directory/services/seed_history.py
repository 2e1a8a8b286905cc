"""A year of plausible moderation history for the demonstration providers: the applications
that published or updated them, decided by a moderator, and their audit entries, dated like
the providers themselves. Without it a fresh demonstration's dashboard and audit log are
empty, which tells a visitor nothing about what they show on a lived-in directory."""

import hashlib
from datetime import date, datetime, time, timedelta

from directory.extensions import db
from directory.models import (
    Application,
    ApplicationKind,
    ApplicationMessage,
    ApplicationState,
    AuditEntry,
    MessageKind,
    Provider,
)

# Providers published or updated within this many days get the applications behind it.
HISTORY_DAYS = 365
_REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
_SEED_TO_DATA = {"email": "public_email", "phone": "public_phone"}
_FIELDS = (
    "name", "kind", "pitch_fr", "pitch_en", "description_fr", "description_en", "website",
    "email", "phone", "city", "postcode", "services", "regions", "departements", "nationwide",
    "remote", "work_mode", "price_models", "audiences", "software", "chatons", "languages",
)  # fmt: skip


def _number(*parts: str) -> int:
    """A stable pseudo-random number, so that every load of the seed gives the same story."""
    return int(hashlib.sha256("/".join(parts).encode()).hexdigest(), 16)


def _reference(*parts: str) -> str:
    number, letters = _number("reference", *parts), []
    for _ in range(8):
        number, index = divmod(number, len(_REFERENCE_ALPHABET))
        letters.append(_REFERENCE_ALPHABET[index])
    return f"{''.join(letters[:4])}-{''.join(letters[4:])}"


def application_data(item: dict) -> dict:
    """A seed item's public fields in the shape applications store (provider_data)."""
    data = {}
    for field in _FIELDS:
        value = item.get(field)
        data[_SEED_TO_DATA.get(field, field)] = value if value is not None else ""
    for field in ("nationwide", "remote", "chatons"):
        data[field] = bool(item.get(field))
    return data


def _decided(
    provider: Provider,
    kind: ApplicationKind,
    data: dict,
    decided_at: datetime,
    changed: list[str],
    replaced_data: dict | None = None,
) -> Application:
    """An application approved at `decided_at`, sent a few hours to a week before."""
    waited = timedelta(hours=4 + _number(provider.slug, kind.value) % 160)
    application = Application(
        reference=_reference(provider.slug, kind.value),
        kind=kind,
        state=ApplicationState.APPROVED,
        provider_id=provider.id,
        data=data,
        contact_email=provider.contact_email,
        locale="fr",
        created_at=decided_at - waited,
        submitted_at=decided_at - waited,
        decided_at=decided_at,
        messages=[ApplicationMessage(kind=MessageKind.APPROVED, created_at=decided_at)],
        replaced_data=replaced_data,
    )
    db.session.add(application)
    db.session.flush()
    sent, action = (
        ("application.submitted", "applicant")
        if kind == ApplicationKind.NEW
        else ("update.submitted", "provider")
    )
    fields = ",".join(changed)
    rows = [
        (application.created_at, action, sent, fields),
        (decided_at, "moderator", "application.approved", ""),
        (
            decided_at,
            "moderator",
            "provider.published" if kind == ApplicationKind.NEW else "provider.updated",
            fields,
        ),
    ]
    for at, actor, what, names in rows:
        db.session.add(
            AuditEntry(
                at=at,
                actor=actor,
                action=what,
                provider_id=provider.id,
                application_id=application.id,
                fields=names,
            )
        )
    return application


def _an_update(data: dict) -> dict:
    """The values one plausible update replaced: a software added, or a phone number."""
    if len(data["software"]) >= 2:
        return {"software": data["software"][:-1]}
    return {"public_phone": ""} if data["public_phone"] else {"city": ""}


def record(pairs: list[tuple[dict, Provider]], today: date | None = None) -> int:
    """Adds the history of these newly seeded (item, provider) pairs to the session (the
    caller commits); returns the number of applications added."""
    today = today or date.today()
    since = today - timedelta(days=HISTORY_DAYS)
    count = 0
    for item, provider in pairs:
        data = application_data(item)
        hour = timedelta(hours=9 + _number(provider.slug) % 9)
        created, updated = provider.created_at.date(), provider.updated_at.date()
        if created >= since:
            at = datetime.combine(created, time()) + hour
            _decided(provider, ApplicationKind.NEW, data, at, list(data))
            count += 1
        if updated > created and updated >= since:
            replaced = _an_update(data)
            at = datetime.combine(updated, time()) + hour
            _decided(
                provider, ApplicationKind.UPDATE, data, at, list(replaced), {**data, **replaced}
            )
            count += 1
    return count
