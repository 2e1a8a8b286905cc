"""The public fields of a provider as plain data: what forms fill, applications store,
moderators compare and approval writes onto a Provider."""

from flask_babel import lazy_gettext as _l

from directory.extensions import db
from directory.models import (
    Audience,
    Departement,
    Language,
    PriceModel,
    Provider,
    Region,
    Service,
)
from directory.services.seeding import software_tags

# Field name -> label, in the order forms and diffs show them.
FIELD_LABELS = {
    "name": _l("Name"),
    "kind": _l("Kind of structure"),
    "pitch_fr": _l("Short pitch in French"),
    "pitch_en": _l("Short pitch in English"),
    "description_fr": _l("Description in French"),
    "description_en": _l("Description in English"),
    "website": _l("Website"),
    "public_email": _l("Public email"),
    "public_phone": _l("Public phone"),
    "show_public_email": _l("Contact on the page"),
    "city": _l("City"),
    "postcode": _l("Postcode"),
    "services": _l("Services"),
    "regions": _l("Régions served"),
    "departements": _l("Départements served"),
    "nationwide": _l("All of France"),
    "remote": _l("Anywhere, remotely"),
    "work_mode": _l("Way of working"),
    "price_models": _l("Price"),
    "audiences": _l("Works with"),
    "software": _l("Software supported"),
    "chatons": _l("Member of CHATONS"),
    "languages": _l("Languages spoken"),
}
# The provider's choice for its page, in the words the form and the moderators' diff use.
CONTACT_CHOICES = {
    True: _l("Show my public email beside the contact form"),
    False: _l("Show only the contact form (my public email stays hidden on my page)"),
}
TEXT_FIELDS = (
    "name", "pitch_fr", "pitch_en", "description_fr", "description_en", "website",
    "public_email", "public_phone", "city", "postcode",
)  # fmt: skip
LIST_FIELDS = (
    "services", "regions", "departements", "price_models", "audiences", "languages", "software",
)  # fmt: skip
BOOL_FIELDS = ("nationwide", "remote", "chatons")
# Booleans that are true when absent: data written before the field existed keeps the
# behaviour of its time (the public email was always shown).
TRUE_BY_DEFAULT = ("show_public_email",)
# The public contact fields: personal data when the provider is a person.
PERSONAL_FIELDS = ("public_email", "public_phone")

_CODED = {
    "services": ("services", Service),
    "regions": ("regions", Region),
    "departements": ("departements", Departement),
    "price_models": ("price_models", PriceModel),
    "audiences": ("audiences", Audience),
    "languages": ("languages", Language),
}


def snapshot(provider: Provider) -> dict:
    """The provider's public fields as data, in the shape applications store."""
    data = {
        "name": provider.name,
        "kind": provider.kind_code,
        "pitch_fr": provider.pitch_fr,
        "pitch_en": provider.pitch_en,
        "description_fr": provider.description_fr,
        "description_en": provider.description_en,
        "website": provider.website or "",
        "public_email": provider.public_email or "",
        "public_phone": provider.public_phone or "",
        "city": provider.city or "",
        "postcode": provider.postcode or "",
        "nationwide": provider.serves_nationwide,
        "remote": provider.serves_remotely,
        "work_mode": provider.work_mode_code,
        "chatons": provider.chatons_member,
        "show_public_email": provider.show_public_email,
        "software": [tag.name for tag in provider.software],
    }
    for field, (attribute, _model) in _CODED.items():
        data[field] = [row.code for row in getattr(provider, attribute)]
    return data


def normalise(data: dict) -> dict:
    """Every field present, strings stripped, lists sorted and unique (order-free compare)."""
    clean = {}
    for field in TEXT_FIELDS:
        clean[field] = str(data.get(field) or "").strip()
    for field in LIST_FIELDS:
        values = [str(v).strip() for v in data.get(field) or [] if str(v).strip()]
        clean[field] = sorted(set(values), key=str.casefold)
    for field in BOOL_FIELDS:
        clean[field] = bool(data.get(field))
    for field in TRUE_BY_DEFAULT:
        clean[field] = data.get(field) is not False
    clean["kind"] = str(data.get("kind") or "")
    clean["work_mode"] = str(data.get("work_mode") or "")
    return clean


def changed_fields(before: dict, after: dict) -> list[str]:
    """Names of the fields whose value differs, in display order."""
    before, after = normalise(before), normalise(after)
    return [field for field in FIELD_LABELS if before.get(field) != after.get(field)]


def without_personal(data: dict | None) -> dict | None:
    """`data` without its personal fields, for an erasure (None stays None)."""
    if data is None:
        return None
    return {k: v for k, v in data.items() if k not in PERSONAL_FIELDS}


def apply(provider: Provider, data: dict) -> None:
    """Writes the public fields of `data` onto `provider` (codes must exist)."""
    data = normalise(data)
    provider.name = data["name"]
    provider.kind_code = data["kind"]
    provider.pitch_fr = data["pitch_fr"]
    provider.pitch_en = data["pitch_en"]
    provider.description_fr = data["description_fr"]
    provider.description_en = data["description_en"]
    provider.website = data["website"] or None
    provider.public_email = data["public_email"] or None
    provider.public_phone = data["public_phone"] or None
    provider.city = data["city"] or None
    provider.postcode = data["postcode"] or None
    provider.serves_nationwide = data["nationwide"]
    provider.serves_remotely = data["remote"]
    provider.work_mode_code = data["work_mode"]
    provider.chatons_member = data["chatons"]
    provider.show_public_email = data["show_public_email"]
    provider.software = software_tags(data["software"])
    for field, (attribute, model) in _CODED.items():
        rows = [db.session.get(model, code) for code in data[field]]
        setattr(provider, attribute, [row for row in rows if row is not None])
