"""The judged queries of bench/relevance/judgements.json, read and checked against the seed.

The file is written by a person reading seed/providers.json, before and independently of any
tuning of the search: the search is tuned to meet it, never the other way round. Each entry:

- "id": a stable name; "q": the text typed in the search box; "locale": "fr" or "en";
- "filters" (optional): the facet values ticked, with the parameters and public codes of the
  search page's URL ({"region": ["53"]}, {"dept": ["29"]}, {"kind": ["public_body"]}...);
- "category": what the query exercises (need, tool, place, accents, typo, plural,
  cross-language, operator, facet), to group the report;
- "must": 0–5 slugs that must all be among the first 5 results;
- "relevant" (optional): other slugs a person would be glad to see (counted, with "must", by
  the figures);
- "must_not" (optional): slugs that must not appear anywhere in the results;
- "top5_all_relevant" (optional, false by default): the first five results must all be in
  "must" or "relevant" (for needs that many providers meet equally well);
- "why": the judgement in one sentence.
"""

import json
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
JUDGEMENTS = HERE / "judgements.json"
SEED_DIR = HERE.parent.parent / "seed"
LOCALES = ("fr", "en")
FILTERS = ("service", "region", "dept", "kind", "price", "mode", "chatons", "audience")
TOP = 5


class JudgementError(ValueError):
    """The judgements file names a provider, a code or a field that does not exist."""


@dataclass(frozen=True)
class Judgement:
    id: str
    q: str
    locale: str
    category: str
    why: str
    must: tuple[str, ...]
    relevant: frozenset[str]
    must_not: frozenset[str]
    top5_all_relevant: bool = False
    filters: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @property
    def wanted(self) -> frozenset[str]:
        """Every slug a person would be glad to see: must-haves and other relevant ones."""
        return frozenset(self.must) | self.relevant


def _entry(raw: dict, slugs: set[str], codes: dict[str, set[str]]) -> Judgement:
    ident = raw.get("id", "?")
    filters = raw.get("filters", {})
    judgement = Judgement(
        id=ident,
        q=raw["q"],
        locale=raw["locale"],
        category=raw["category"],
        why=raw["why"],
        must=tuple(raw.get("must", [])),
        relevant=frozenset(raw.get("relevant", [])),
        must_not=frozenset(raw.get("must_not", [])),
        top5_all_relevant=bool(raw.get("top5_all_relevant", False)),
        filters=tuple((name, tuple(values)) for name, values in sorted(filters.items())),
    )
    problems = []
    if judgement.locale not in LOCALES:
        problems.append(f"locale {judgement.locale!r}")
    if len(judgement.must) > TOP:
        problems.append(f"more than {TOP} must-haves")
    if not judgement.must and not judgement.top5_all_relevant:
        problems.append("no must-have and no top5_all_relevant: nothing to pass or fail")
    named = [*judgement.must, *judgement.relevant, *judgement.must_not]
    problems += [f"unknown provider {slug!r}" for slug in named if slug not in slugs]
    if judgement.must_not & judgement.wanted:
        problems.append("a slug is both wanted and unwanted")
    for name, values in judgement.filters:
        if name not in FILTERS:
            problems.append(f"unknown filter {name!r}")
        elif name in codes:
            problems += [f"unknown {name} {v!r}" for v in values if v not in codes[name]]
    if problems:
        raise JudgementError(f"judgement {ident}: " + "; ".join(problems))
    return judgement


def _codes(taxonomy: dict) -> dict[str, set[str]]:
    """The public codes each filter of the search page accepts (those the seed defines)."""

    def codes(vocabulary: str) -> set[str]:
        return {item["code"] for item in taxonomy[vocabulary]}

    return {
        "service": codes("services"),
        "region": codes("regions"),
        "dept": {d["code"] for r in taxonomy["regions"] for d in r["departements"]},
        "kind": codes("structure_kinds"),
        "price": codes("price_models"),
        "mode": codes("work_modes"),
        "audience": codes("audiences"),
        "chatons": {"yes"},
    }


def load_judgements(path: Path = JUDGEMENTS, seed_dir: Path = SEED_DIR) -> list[Judgement]:
    """The judgements of `path`, each checked against the seed providers and taxonomy."""
    providers = json.loads((seed_dir / "providers.json").read_text(encoding="utf-8"))
    taxonomy = json.loads((seed_dir / "taxonomy.json").read_text(encoding="utf-8"))
    slugs = {item["slug"] for item in providers}
    raw = json.loads(Path(path).read_text(encoding="utf-8"))
    judgements = [_entry(item, slugs, _codes(taxonomy)) for item in raw]
    seen: set[str] = set()
    for judgement in judgements:
        if judgement.id in seen:
            raise JudgementError(f"judgement {judgement.id}: id used twice")
        seen.add(judgement.id)
    return judgements
