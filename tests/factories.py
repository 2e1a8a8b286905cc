"""Builders of test data: make_provider(**overrides) creates, commits and indexes a provider;
add_testimonials(provider_id, *recommends) publishes testimonials of it and reindexes it."""

import itertools
from datetime import date, datetime

from directory import search
from directory.extensions import db
from directory.models import (
    Audience,
    Departement,
    Language,
    PriceModel,
    Provider,
    Region,
    Service,
    Testimonial,
    TestimonialState,
)
from directory.models.provider import utcnow
from directory.services import index_log, indexing
from directory.services.seeding import software_tags

_numbers = itertools.count(1)


def make_provider(**overrides) -> Provider:
    """A provider with sensible defaults; list fields take codes ("hosting", "53", "29")."""
    number = next(_numbers)
    codes = {
        "services": (Service, ["hosting"]),
        "price_models": (PriceModel, ["paid"]),
        "audiences": (Audience, ["small_associations"]),
        "languages": (Language, ["fr"]),
        "regions": (Region, []),
        "departements": (Departement, []),
    }
    fields = {
        "slug": f"provider-{number}",
        "name": f"Provider {number}",
        "kind_code": "association",
        "work_mode_code": "both",
        "pitch_fr": "",
        "pitch_en": "",
        "description_fr": "",
        "description_en": "",
        "website": f"https://provider-{number}.example.org",
        "public_email": f"contact@provider-{number}.example.org",
        "created_at": datetime(2025, 1, 1),
        "updated_at": datetime(2025, 6, 1),
        "last_verified_on": date(2025, 6, 1),
    }
    software = overrides.pop("software", [])
    for key, (model, default) in codes.items():
        wanted = overrides.pop(key, default)
        fields[key] = [db.session.get(model, code) for code in wanted]
        assert None not in fields[key], f"unknown {key} in {wanted}"
    fields.update(overrides)
    provider = Provider(**fields, software=software_tags(software))
    db.session.add(provider)
    db.session.commit()
    search.index_providers([provider])
    return provider


def add_testimonials(
    provider_id: int, *recommends: bool, state: TestimonialState = TestimonialState.APPROVED
) -> list[Testimonial]:
    """One testimonial of the provider per value of `recommends` (would it recommend it),
    published by default; committed with its index change log entry and applied to the
    index, as a moderator's decision is."""
    made = [
        Testimonial(
            provider_id=provider_id,
            state=state,
            author_name=f"Association {next(_numbers)}",
            services=["hosting"],
            month="2026-06",
            recommend=recommend,
            body="Ils nous ont aidés.",
            decided_at=utcnow() if state != TestimonialState.PENDING else None,
        )
        for recommend in recommends
    ]
    db.session.add_all(made)
    index_log.record(upserts=[provider_id])
    db.session.commit()
    indexing.apply_committed()
    return made
