"""Loads the taxonomy and the demonstration providers from the JSON files in seed/."""

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from directory.extensions import db
from directory.models import (
    VOCABULARIES,
    Audience,
    Departement,
    Language,
    PriceModel,
    Provider,
    Region,
    Service,
    Software,
    TaxonomyChange,
    normalise_tag,
)
from directory.services import index_log, indexing, seed_history

# INSERT … ON CONFLICT DO NOTHING, per database.
INSERTS = {"sqlite": sqlite_insert, "postgresql": postgresql_insert}


class SeedError(Exception):
    """A seed file refers to something that does not exist or misses a field."""


@dataclass(frozen=True)
class SeedReport:
    terms: int
    providers_created: int
    providers_kept: int


def _read(path: Path):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise SeedError(f"{path}: {error}") from error


def _upsert_terms(taxonomy: dict) -> int:
    """Creates or relabels every vocabulary entry; codes are never removed."""
    count = 0
    for vocabulary, model in VOCABULARIES.items():
        for position, item in enumerate(taxonomy.get(vocabulary, [])):
            term = db.session.get(model, item["code"]) or model(code=item["code"])
            term.label_fr, term.label_en, term.position = item["fr"], item["en"], position
            if model is Service:
                term.description_fr = item.get("description_fr", "")
                term.description_en = item.get("description_en", "")
            db.session.add(term)
            count += 1
            if model is Region:
                db.session.flush()
                for departement in item["departements"]:
                    row = db.session.get(Departement, departement["code"]) or Departement(
                        code=departement["code"]
                    )
                    row.name, row.region_code = departement["name"], term.code
                    db.session.add(row)
                    count += 1
    # A new taxonomy version, even when nothing changed: every process reloads its copy.
    db.session.add(TaxonomyChange())
    db.session.flush()
    return count


def _terms(model, codes: list[str], slug: str) -> list:
    rows = []
    for code in codes:
        row = db.session.get(model, code)
        if row is None:
            raise SeedError(f"provider {slug}: unknown {model.__tablename__} {code!r}")
        rows.append(row)
    return rows


def software_tags(names: list[str]) -> list[Software]:
    """The Software rows for these names, created when new; "NextCloud" joins "Nextcloud".

    Two workers may create the same new tag at once: the insert ignores a key that exists by
    then, and the row is read back either way.
    """
    keys = {}
    for name in names:
        key = normalise_tag(name)
        if key and key not in keys:
            keys[key] = name.strip()
    if not keys:
        return []
    insert = INSERTS.get(db.engine.dialect.name)
    for key, name in keys.items():
        if db.session.scalar(select(Software.id).where(Software.key == key)) is None:
            if insert is None:
                db.session.add(Software(name=name, key=key))
                db.session.flush()
            else:
                db.session.execute(
                    insert(Software).values(name=name, key=key).on_conflict_do_nothing()
                )
    rows = db.session.scalars(select(Software).where(Software.key.in_(keys)))
    by_key = {row.key: row for row in rows}
    return [by_key[key] for key in keys]


def seed_day(item: dict, name: str, today: date | None = None) -> date:
    """The date `name` ("created", "updated" or "verified") of a seed item. Seed files give
    it as days before the loading day ("verified_days_ago": 40), so that a demonstration
    loaded on any day looks as well kept as on the day it was written; an absolute ISO date
    ("last_verified": "2025-01-01", as older files and the benchmarks write it) still works."""
    today = today or date.today()
    if f"{name}_days_ago" in item:
        return today - timedelta(days=int(item[f"{name}_days_ago"]))
    return date.fromisoformat(item["last_verified" if name == "verified" else name])


def _provider(item: dict) -> Provider:
    slug = item["slug"]
    created = datetime.combine(seed_day(item, "created"), datetime.min.time())
    updated = datetime.combine(seed_day(item, "updated"), datetime.min.time())
    return Provider(
        slug=slug,
        name=item["name"],
        kind_code=item["kind"],
        pitch_fr=item.get("pitch_fr") or "",
        pitch_en=item.get("pitch_en") or "",
        description_fr=item.get("description_fr") or "",
        description_en=item.get("description_en") or "",
        website=item.get("website"),
        public_email=item.get("email"),
        public_phone=item.get("phone"),
        city=item.get("city"),
        postcode=item.get("postcode"),
        work_mode_code=item["work_mode"],
        serves_nationwide=bool(item.get("nationwide")),
        serves_remotely=bool(item.get("remote")),
        chatons_member=bool(item.get("chatons")),
        created_at=created,
        updated_at=updated,
        last_verified_on=seed_day(item, "verified"),
        contact_email=item.get("contact_email"),
        services=_terms(Service, item["services"], slug),
        price_models=_terms(PriceModel, item["price_models"], slug),
        audiences=_terms(Audience, item["audiences"], slug),
        languages=_terms(Language, item["languages"], slug),
        regions=_terms(Region, item.get("regions", []), slug),
        departements=_terms(Departement, item.get("departements", []), slug),
        software=software_tags(item.get("software", [])),
    )


def load_taxonomy_file(path: str | Path) -> int:
    """Creates or relabels the vocabularies from a taxonomy JSON file; returns entries loaded.
    Raises SeedError (and writes nothing) if the file is unreadable or malformed."""
    taxonomy = _read(Path(path))
    try:
        count = _upsert_terms(taxonomy)
        db.session.commit()
    except KeyError as error:
        db.session.rollback()
        raise SeedError(f"{path}: missing field {error}") from error
    return count


def load_seed(seed_dir: str | Path) -> SeedReport:
    """Loads seed_dir/taxonomy.json and seed_dir/providers.json; safe to run again.

    Vocabulary labels are refreshed; providers are created when their slug is new, with the
    moderation history that published them (services.seed_history), and left untouched
    otherwise, so that running it twice changes nothing and never overwrites an entry edited
    since. New providers are indexed after the commit.
    Raises SeedError (and writes no provider) if a file is unreadable or refers to unknown codes.
    """
    seed_dir = Path(seed_dir)
    terms = load_taxonomy_file(seed_dir / "taxonomy.json")
    items = _read(seed_dir / "providers.json")
    try:
        existing = set(db.session.scalars(select(Provider.slug)))
        created, pairs = [], []
        for item in items:
            if item["slug"] in existing:
                continue
            provider = _provider(item)
            db.session.add(provider)
            created.append(provider)
            pairs.append((item, provider))
            existing.add(item["slug"])
        db.session.flush()
        seed_history.record(pairs)
        index_log.record(upserts=[provider.id for provider in created])
        db.session.commit()
    except KeyError as error:
        db.session.rollback()
        raise SeedError(f"providers.json: missing field {error}") from error
    except BaseException:
        db.session.rollback()
        raise
    if created:
        indexing.apply_committed()
    return SeedReport(terms, len(created), len(items) - len(created))
