"""The public shape of the directory's data, shared by the API, the exports and the import:
one definition of what is published and under which names."""

from datetime import UTC, date, datetime

from flask import url_for
from sqlalchemy import func, select

from directory.extensions import db
from directory.models import Provider
from directory.services import index_log, reminders
from directory.services.taxonomy import Taxonomy

LICENCE = {
    "name": "Licence Ouverte / Open Licence 2.0 (Etalab)",
    "url": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
}
# Columns of the CSV export, also accepted by `flask import-csv`; lists are "|"-separated.
CSV_COLUMNS = (
    "slug", "name", "kind", "pitch_fr", "pitch_en", "description_fr", "description_en",
    "website", "public_email", "public_phone", "city", "postcode", "services", "regions",
    "departements", "nationwide", "remote", "work_mode", "price_models", "audiences",
    "software", "chatons", "languages", "created", "updated", "last_verified",
)  # fmt: skip
LIST_SEPARATOR = "|"


def iso_datetime(value: datetime | None) -> str | None:
    """ISO 8601 in UTC with a Z (the models store naive UTC)."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC, microsecond=0).isoformat().replace("+00:00", "Z")


def iso_date(value: date | None) -> str | None:
    return value.isoformat() if value else None


def provider_record(provider: Provider, testimonials: list[dict] | None = None) -> dict:
    """Everything public about a provider, with stable codes (labels are in the taxonomy);
    with `testimonials` (services.testimonial_reads records), its published testimonials
    too (the single record and the JSON export carry them; lists leave them out)."""
    record = {
        "id": provider.slug,
        "url": url_for("providers.show", slug=provider.slug, _external=True),
        "name": provider.name,
        "kind": provider.kind_code,
        "pitch": {"fr": provider.pitch_fr, "en": provider.pitch_en},
        "description": {"fr": provider.description_fr, "en": provider.description_en},
        "website": provider.website_url,
        # A provider that chose "only the contact form" publishes its email nowhere: neither
        # on its page nor in open data, where harvesting it would be easiest.
        "email": provider.public_email if provider.show_public_email else None,
        "phone": provider.public_phone,
        "city": provider.city,
        "postcode": provider.postcode,
        "logo": url_for("providers.logo", name=provider.logo_filename, _external=True)
        if provider.logo_filename
        else None,
        "services": [s.code for s in provider.services],
        "areas": {
            "regions": [r.code for r in provider.regions],
            "departements": [d.code for d in provider.departements],
            "nationwide": provider.serves_nationwide,
            "remote": provider.serves_remotely,
        },
        "work_mode": provider.work_mode_code,
        "price_models": [p.code for p in provider.price_models],
        "audiences": [a.code for a in provider.audiences],
        "software": [tag.name for tag in provider.software],
        "chatons": provider.chatons_member,
        "languages": [language.code for language in provider.languages],
        "created": iso_datetime(provider.created_at),
        "updated": iso_datetime(provider.updated_at),
        "last_verified": iso_date(provider.last_verified_on),
        "to_be_verified": reminders.needs_verification(provider),
    }
    if testimonials is not None:
        record["testimonials"] = testimonials
    return record


def csv_row(provider: Provider) -> dict[str, str]:
    record = provider_record(provider)
    joined = LIST_SEPARATOR.join
    return {
        "slug": record["id"],
        "name": record["name"],
        "kind": record["kind"],
        "pitch_fr": record["pitch"]["fr"],
        "pitch_en": record["pitch"]["en"],
        "description_fr": record["description"]["fr"],
        "description_en": record["description"]["en"],
        "website": record["website"] or "",
        "public_email": record["email"] or "",
        "public_phone": record["phone"] or "",
        "city": record["city"] or "",
        "postcode": record["postcode"] or "",
        "services": joined(record["services"]),
        "regions": joined(record["areas"]["regions"]),
        "departements": joined(record["areas"]["departements"]),
        "nationwide": "yes" if record["areas"]["nationwide"] else "no",
        "remote": "yes" if record["areas"]["remote"] else "no",
        "work_mode": record["work_mode"],
        "price_models": joined(record["price_models"]),
        "audiences": joined(record["audiences"]),
        "software": joined(record["software"]),
        "chatons": "yes" if record["chatons"] else "no",
        "languages": joined(record["languages"]),
        "created": record["created"],
        "updated": record["updated"],
        "last_verified": record["last_verified"] or "",
    }


def taxonomy_record(taxonomy: Taxonomy) -> dict:
    def terms(rows):
        return [{"code": t.code, "label": {"fr": t.label_fr, "en": t.label_en}} for t in rows]

    return {
        "services": terms(taxonomy.services),
        "structure_kinds": terms(taxonomy.structure_kinds),
        "price_models": terms(taxonomy.price_models),
        "audiences": terms(taxonomy.audiences),
        "work_modes": terms(taxonomy.work_modes),
        "languages": terms(taxonomy.languages),
        "regions": [
            {
                "code": region.code,
                "label": {"fr": region.label_fr, "en": region.label_en},
                "departements": [{"code": d.code, "name": d.name} for d in region.departements],
            }
            for region in taxonomy.regions
        ],
    }


def last_change() -> datetime | None:
    """When the public record last changed, the Last-Modified of lists and exports: the
    newest entry of the index change log, which every approval, update, removal and erasure
    writes (a removal changes no published row, so the newest `updated_at` of the published
    ones missed it), else, once the log is pruned, the newest published update (indexed)."""
    return index_log.latest_time() or db.session.scalar(
        select(func.max(Provider.updated_at)).where(Provider.published)
    )
