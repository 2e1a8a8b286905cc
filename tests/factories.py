"""Builders of test data: make_provider(**overrides) creates, commits and indexes a provider."""

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
)
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
