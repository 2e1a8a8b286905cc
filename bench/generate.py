"""Deterministic synthetic providers with the distributions of the seed data.

Every list length, code frequency and flag rate is drawn from the empirical distribution of
`seed/providers.json`, and texts are new combinations of the seed's own sentences and name
words, so that term frequencies (hence query costs) look like the real directory's. The same
`n` and `seed` always give the same providers, in the seed files' JSON format.
"""

import json
import random
import re
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

SEED_DIR = Path(__file__).resolve().parent.parent / "seed"
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_LISTS = ("services", "price_models", "audiences", "languages", "software")


class Distributions:
    """What the seed data looks like, counted once."""

    def __init__(self, seed_dir: Path = SEED_DIR):
        items = json.loads((seed_dir / "providers.json").read_text(encoding="utf-8"))
        taxonomy = json.loads((seed_dir / "taxonomy.json").read_text(encoding="utf-8"))
        self.region_of = {
            d["code"]: r["code"] for r in taxonomy["regions"] for d in r["departements"]
        }
        self.regions = [r["code"] for r in taxonomy["regions"]]
        self.kinds = [item["kind"] for item in items]
        self.work_modes = [item["work_mode"] for item in items]
        self.lengths = {key: [len(item.get(key) or []) for item in items] for key in _LISTS}
        self.lengths["regions"] = [len(item.get("regions") or []) for item in items]
        self.lengths["departements"] = [len(item.get("departements") or []) for item in items]
        self.codes = {
            key: Counter(c for item in items for c in item.get(key) or []) for key in _LISTS
        }
        self.flags = {
            key: sum(bool(item.get(key)) for item in items) / len(items)
            for key in ("nationwide", "remote", "chatons")
        }
        self.english_rate = sum(bool(item.get("description_en")) for item in items) / len(items)
        self.sentences = {
            lang: [
                s
                for item in items
                for s in _SENTENCE.split(item.get(f"description_{lang}") or "")
                if s
            ]
            for lang in ("fr", "en")
        }
        self.pitches = {
            lang: [item[f"pitch_{lang}"] for item in items if item.get(f"pitch_{lang}")]
            for lang in ("fr", "en")
        }
        self.description_sentences = [
            len(_SENTENCE.split(item["description_fr"]))
            for item in items
            if item.get("description_fr")
        ]
        self.name_words = sorted(
            {w for item in items for w in re.findall(r"[\w']+", item["name"]) if len(w) > 2}
        )
        self.cities = [(item["city"], item.get("postcode")) for item in items if item.get("city")]


def _sample(rng: random.Random, counter: Counter, k: int) -> list[str]:
    """k distinct codes, each as likely as in the seed (plus one, so rare codes still occur)."""
    pool = {code: weight + 1 for code, weight in counter.items()}
    chosen = []
    while pool and len(chosen) < k:
        code = rng.choices(list(pool), weights=list(pool.values()))[0]
        chosen.append(code)
        del pool[code]
    return chosen


def _provider(rng: random.Random, d: Distributions, number: int) -> dict:
    name = f"{rng.choice(d.name_words)} {rng.choice(d.name_words)} {number}"
    sentences = rng.choice(d.description_sentences)
    english = rng.random() < d.english_rate
    departements = rng.sample(sorted(d.region_of), rng.choice(d.lengths["departements"]))
    home = d.region_of[departements[0]] if departements else rng.choice(d.regions)
    regions = [home] if rng.choice(d.lengths["regions"]) else []
    extra = rng.choice(d.lengths["regions"]) - 1
    if extra > 0:
        regions += [r for r in rng.sample(d.regions, extra) if r not in regions]
    created = date(2019, 1, 1) + timedelta(days=rng.randrange(2000))
    updated = created + timedelta(days=rng.randrange(400))
    city, postcode = rng.choice(d.cities)
    item = {
        "slug": f"bench-{number}",
        "name": name,
        "kind": rng.choice(d.kinds),
        "pitch_fr": rng.choice(d.pitches["fr"]),
        "pitch_en": rng.choice(d.pitches["en"]) if english else "",
        "description_fr": " ".join(rng.choices(d.sentences["fr"], k=sentences)),
        "description_en": " ".join(rng.choices(d.sentences["en"], k=sentences)) if english else "",
        "website": f"https://bench-{number}.example.org",
        "email": f"contact@bench-{number}.example.org",
        "phone": None,
        "city": city,
        "postcode": postcode,
        "regions": regions,
        "departements": departements,
        "nationwide": rng.random() < d.flags["nationwide"],
        "remote": rng.random() < d.flags["remote"],
        "work_mode": rng.choice(d.work_modes),
        "chatons": rng.random() < d.flags["chatons"],
        "created": created.isoformat(),
        "updated": updated.isoformat(),
        "last_verified": updated.isoformat(),
    }
    for key in _LISTS:
        item[key] = _sample(rng, d.codes[key], max(1, rng.choice(d.lengths[key])))
    # "Nextcloud" and "nextcloud" are both in the seed: one tag, as the app would make it.
    item["software"] = list({name.casefold(): name for name in item["software"]}.values())
    return item


def generate(n: int, seed: int = 2026, distributions: Distributions | None = None) -> list[dict]:
    """n providers in the format of seed/providers.json; the same n and seed, the same list."""
    d = distributions or Distributions()
    rng = random.Random(f"{seed}-{n}")
    return [_provider(rng, d, number) for number in range(1, n + 1)]
