"""The varied queries every benchmark runs: 1-2 words from the seed's vocabulary, filters on
two facets; the same list (by seed) for Whoosh, SQLite FTS5 and the HTTP benchmarks."""

import random
from dataclasses import dataclass
from urllib.parse import urlencode

from bench.generate import Distributions

# Words people type into a directory of digital service providers (French and English,
# accents or not, plural or not); a few match almost everything, most match a few percent.
WORDS = [
    "hébergement",
    "hebergement",
    "nextcloud",
    "formation",
    "formations",
    "site",
    "web",
    "migration",
    "comptabilité",
    "association",
    "libre",
    "logiciels",
    "données",
    "sauvegarde",
    "accompagnement",
    "visioconférence",
    "réseau",
    "bretagne",
    "lyon",
    "paheko",
    "peertube",
    "wordpress",
    "coopérative",
    "bénévoles",
    "hosting",
    "training",
    "website",
    "accounting",
    "mailing",
    "cloud",
    "messagerie",
    "sécurité",
    "ordinateurs",
    "réparation",
    "linux",
    "diagnostic",
    "collabora",
    "mastodon",
    "framadate",
    "inclusion",
    "numérique",
]


@dataclass(frozen=True)
class Query:
    words: str
    # (facet field, index value, form parameter, form value) for each of the two filters.
    filters: tuple[tuple[str, str, str, str], ...]

    def search_params(self) -> dict:
        params: dict[str, list[str]] = {"q": [self.words]}
        for _field, _value, name, form_value in self.filters:
            params.setdefault(name, []).append(form_value)
        return params

    def url(self) -> str:
        return "/search?" + urlencode(self.search_params(), doseq=True)


def _filter(rng: random.Random, facet: str, d: Distributions):
    if facet == "area":
        region = rng.choice(d.regions)
        return ("area", f"r:{region}", "region", region)
    codes = {"service": "services", "price": "price_models"}
    if facet in codes:
        code = rng.choice(sorted(d.codes[codes[facet]]))
        return (facet, code, facet, code)
    if facet == "kind":
        code = rng.choice(d.kinds)
        return ("kind", code, "kind", code)
    if facet == "mode":
        code = rng.choice(["on_site", "remote"])
        return ("mode", code, "mode", code)
    return ("chatons", "yes", "chatons", "yes")


def make_queries(count: int = 120, seed: int = 7) -> list[Query]:
    rng = random.Random(seed)
    d = Distributions()
    facets = ("service", "area", "kind", "price", "mode", "chatons")
    queries = []
    for _ in range(count):
        words = " ".join(rng.sample(WORDS, rng.choice((1, 1, 2))))
        chosen = rng.sample(facets, 2)
        queries.append(Query(words, tuple(_filter(rng, f, d) for f in chosen)))
    return queries
