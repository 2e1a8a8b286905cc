"""Loads N generated providers into a fresh database and index: `python -m bench.load N DIR`.

Rows go in with bulk inserts (the ORM would spend minutes on 100,000 providers); the index is
then built by the app's own `reindex_all`, which is what the benchmark times.
"""

import shutil
import sys
import time
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import insert

from bench.generate import SEED_DIR, generate
from directory import create_app
from directory.extensions import db
from directory.models import Provider, Software, normalise_tag
from directory.models.provider import (
    provider_audience,
    provider_departement,
    provider_language,
    provider_price_model,
    provider_region,
    provider_service,
    provider_software,
)
from directory.services import indexing
from directory.services.seeding import load_taxonomy_file

_LINKS = {
    "services": (provider_service, "service_code"),
    "price_models": (provider_price_model, "price_model_code"),
    "audiences": (provider_audience, "audience_code"),
    "languages": (provider_language, "language_code"),
    "regions": (provider_region, "region_code"),
    "departements": (provider_departement, "departement_code"),
}
CHUNK = 5000


def bench_app(workdir: Path, **overrides):
    """An app on the database and index of `workdir` (created if needed)."""
    workdir = workdir.resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    return create_app(
        {
            "SECRET_KEY": "bench",
            # Served on loopback by bench/serve.py; the host is the trusted one.
            "PUBLIC_URL": "http://127.0.0.1",
            # Also driven through Flask's test client (bench/timing.py, bench/relevance), whose
            # requests name the host "localhost": both loopback names are this app's own.
            "TRUSTED_HOSTS": ["127.0.0.1", "localhost"],
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{workdir / 'bench.sqlite3'}",
            "SEARCH_INDEX_DIR": str(workdir / "search-index"),
            "SEARCH_REBUILD_ON_START": False,
            "RATELIMIT_ENABLED": False,
            "MAIL_OUTBOX_DIR": str(workdir / "mail"),
            "LOGO_DIR": str(workdir / "logos"),
            **overrides,
        }
    )


def _day(text: str) -> datetime:
    return datetime.combine(date.fromisoformat(text), datetime.min.time())


def _rows(items: list[dict], first_id: int, software_ids: dict[str, int]):
    main, links = [], {key: [] for key in (*_LINKS, "software")}
    for offset, item in enumerate(items):
        pid = first_id + offset
        main.append(
            {
                "id": pid,
                "slug": item["slug"],
                "name": item["name"],
                "kind_code": item["kind"],
                "pitch_fr": item["pitch_fr"],
                "pitch_en": item["pitch_en"],
                "description_fr": item["description_fr"],
                "description_en": item["description_en"],
                "website": item["website"],
                "public_email": item["email"],
                "city": item["city"],
                "postcode": item["postcode"],
                "work_mode_code": item["work_mode"],
                "serves_nationwide": item["nationwide"],
                "serves_remotely": item["remote"],
                "chatons_member": item["chatons"],
                "published": True,
                "locale": "fr",
                "created_at": _day(item["created"]),
                "updated_at": _day(item["updated"]),
                "last_verified_on": date.fromisoformat(item["last_verified"]),
                "version": 1,
            }
        )
        for key, (_table, column) in _LINKS.items():
            links[key] += [{"provider_id": pid, column: code} for code in item[key]]
        links["software"] += [
            {"provider_id": pid, "software_id": software_ids[normalise_tag(name)]}
            for name in item["software"]
        ]
    return main, links


def load(app, items: list[dict]) -> None:
    """Creates the tables and the taxonomy, then inserts `items` (seed JSON format)."""
    with app.app_context():
        db.create_all()
        load_taxonomy_file(SEED_DIR / "taxonomy.json")
        names = {normalise_tag(n): n for item in items for n in item["software"]}
        db.session.execute(insert(Software), [{"key": k, "name": n} for k, n in names.items()])
        software_ids = {s.key: s.id for s in db.session.scalars(db.select(Software))}
        for start in range(0, len(items), CHUNK):
            main, links = _rows(items[start : start + CHUNK], start + 1, software_ids)
            db.session.execute(insert(Provider), main)
            for key, rows in links.items():
                table = provider_software if key == "software" else _LINKS[key][0]
                if rows:
                    db.session.execute(insert(table), rows)
        db.session.commit()


def build(n: int, workdir: Path, on_progress=None) -> dict:
    """A fresh database and index of n providers in workdir; returns the timings."""
    shutil.rmtree(workdir, ignore_errors=True)
    app = bench_app(workdir)
    started = time.perf_counter()
    load(app, generate(n))
    loaded = time.perf_counter()
    with app.app_context():
        count = indexing.reindex_all(on_progress)
    indexed = time.perf_counter()
    assert count == n, (count, n)
    return {"load_s": loaded - started, "index_s": indexed - loaded, "rate": n / (indexed - loaded)}


def main(argv: list[str]) -> None:
    n, workdir = int(argv[0]), Path(argv[1])
    figures = build(n, workdir)
    print(
        f"{n} providers: database {figures['load_s']:.1f} s, index {figures['index_s']:.1f} s "
        f"({figures['rate']:.0f} documents/s)"
    )


if __name__ == "__main__":
    main(sys.argv[1:])
