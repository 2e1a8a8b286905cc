"""The benchmark's providers: deterministic, and distributed like the seed data."""

import json
from collections import Counter

from bench.generate import SEED_DIR, generate

SEED = json.loads((SEED_DIR / "providers.json").read_text(encoding="utf-8"))
TAXONOMY = json.loads((SEED_DIR / "taxonomy.json").read_text(encoding="utf-8"))


def test_the_same_size_and_seed_give_the_same_providers():
    assert generate(300) == generate(300)
    assert generate(300, seed=1) != generate(300, seed=2)


def test_slugs_are_unique_and_codes_exist():
    items = generate(500)
    assert len({item["slug"] for item in items}) == 500
    departements = {d["code"] for r in TAXONOMY["regions"] for d in r["departements"]}
    for item in items:
        assert {item["kind"]} <= {p["kind"] for p in SEED}
        assert set(item["departements"]) <= departements
        assert set(item["regions"]) <= {r["code"] for r in TAXONOMY["regions"]}
        assert set(item["services"]) <= {s["code"] for s in TAXONOMY["services"]}
        keys = [name.casefold() for name in item["software"]]
        assert len(keys) == len(set(keys))


def _rate(items, key):
    return sum(bool(item[key]) for item in items) / len(items)


def test_rates_and_lengths_follow_the_seed():
    items = generate(3000)
    for flag in ("nationwide", "remote", "chatons"):
        assert abs(_rate(items, flag) - _rate(SEED, flag)) < 0.05, flag
    assert abs(_rate(items, "description_en") - _rate(SEED, "description_en")) < 0.05
    for key in ("services", "price_models", "languages"):
        seen = Counter(len(item[key]) for item in items)
        assert set(seen) <= {max(1, len(p[key])) for p in SEED}, key
    kinds = Counter(item["kind"] for item in items)
    seed_kinds = Counter(p["kind"] for p in SEED)
    top = seed_kinds.most_common(1)[0][0]
    assert kinds.most_common(1)[0][0] == top
