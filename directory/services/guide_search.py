"""The questionnaire's result: the answers as a search (the search package's own request, so
the ranking is the search page's), widened when nothing matches, and why each provider
matches, in words.
"""

from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from directory.models import Provider, normalise_tag
from directory.search import SearchRequest
from directory.search.facets import AREA_FIELD, WIDE_AREAS, area_tokens
from directory.services import nearby, providers
from directory.services.guide import (
    BUDGETS_BY_CODE,
    PEOPLE_BY_CODE,
    Answers,
    replacing_software,
    wanted_services,
)
from directory.services.taxonomy import Taxonomy
from directory.services.vocabulary import Vocabulary

# What was dropped to find someone, in the order it is dropped.
WIDENINGS = (
    ("budget", _l("No provider matched your budget: here are providers at any price.")),
    (
        "place",
        _l(
            "No provider matched your place: here are providers working all over France "
            "or remotely."
        ),
    ),
)


@dataclass(frozen=True)
class Plan:
    """The search the answers describe, and the same filters as the search page's
    parameters (for the link that opens it there)."""

    request: SearchRequest
    search_args: list[tuple[str, str]]


@dataclass(frozen=True)
class Match:
    hit: object
    provider: Provider
    reasons: list[str]


@dataclass(frozen=True)
class Outcome:
    """The ranked providers, the total, what was dropped to find them (sentences), and the
    search page's parameters for the same filters."""

    matches: list[Match]
    total: int
    dropped: list[str]
    search_args: list[tuple[str, str]]


def plan(
    answers: Answers,
    taxonomy: Taxonomy,
    vocabulary: Vocabulary,
    locale: str,
    per_page: int,
    centres: str | None = None,
    drop: tuple[str, ...] = (),
) -> Plan:
    """The SearchRequest of `answers`: services filter, area (the région, or the postcode's
    région with the nearest first), on-site mode, price; the replacing software of the
    named tools as words that rank without being required. `drop` leaves out "budget" or
    "place" (the place then becomes "works all over France or remotely"). `centres` is the
    département centres file (services.nearby) for a postcode's distances."""
    services = wanted_services(answers, vocabulary)
    filters: dict[str, frozenset[str]] = {"service": frozenset(services)}
    args = [("service", code) for code in services]
    region_of = {d.code: d.region_code for d in taxonomy.departements}
    distances = None
    if "place" in drop:
        filters[AREA_FIELD] = frozenset(WIDE_AREAS)
    else:
        region = answers.region or region_of.get(answers.departement or "")
        if region:
            filters[AREA_FIELD] = area_tokens([region], [], region_of)
            args.append(("region", region))
        if answers.postcode and centres:
            start = nearby.origin(answers.postcode, centres)
            distances = nearby.distances(start, centres) if start else None
            args += [("near", answers.postcode), ("sort", "distance")]
        if answers.onsite:
            filters["mode"] = frozenset({"on_site"})
            args.append(("mode", "on_site"))
    budget = BUDGETS_BY_CODE.get(answers.budget or "")
    if budget is not None and budget.prices and "budget" not in drop:
        filters["price"] = budget.prices
        args += [("price", code) for code in sorted(budget.prices)]
    software = replacing_software(answers, vocabulary)
    boost = " ".join(dict.fromkeys(name for names in software.values() for name in names))
    request = SearchRequest(
        filters=filters,
        # With only nationwide and remote providers asked for, the area tokens say it all.
        include_wide="place" not in drop,
        distances=distances,
        boost=boost,
        sort="distance" if distances else "relevance",
        per_page=per_page,
        locale=locale,
        facets=False,
    )
    return Plan(request, args)


def find(answers, taxonomy, vocabulary, locale, per_page, centres=None) -> Outcome:
    """Runs the answers' search; when nothing matches, drops the budget, then the place,
    and says so. Raises search.IndexUnavailable while the index rebuilds itself."""
    drop: tuple[str, ...] = ()
    dropped: list[str] = []
    current = plan(answers, taxonomy, vocabulary, locale, per_page, centres)
    found = providers.find(current.request)
    for what, sentence in WIDENINGS:
        if found.result.total:
            break
        if not _has(answers, what):
            continue
        drop += (what,)
        dropped.append(str(sentence))
        current = plan(answers, taxonomy, vocabulary, locale, per_page, centres, drop)
        found = providers.find(current.request)
    matches = [
        Match(hit, provider, reasons(provider, answers, taxonomy, vocabulary, locale))
        for hit, provider in found.entries
    ]
    return Outcome(matches, found.result.total, dropped, current.search_args)


def _has(answers: Answers, what: str) -> bool:
    """Whether the answers hold something `what` ("budget" or "place") would drop: a paid
    budget filters nothing, so dropping it would change nothing."""
    if what == "budget":
        budget = BUDGETS_BY_CODE.get(answers.budget or "")
        return budget is not None and budget.prices is not None
    return bool(answers.region or answers.postcode or answers.onsite)


def reasons(
    provider: Provider, answers: Answers, taxonomy: Taxonomy, vocabulary: Vocabulary, locale: str
) -> list[str]:
    """Why `provider` matches, from its data against the answers: the services asked for
    that it offers, the software it supports that replaces a named tool, where it works,
    on site, its prices within the budget, the size of associations it works with."""
    parts = []
    asked = set(wanted_services(answers, vocabulary))
    parts += [s.label(locale) for s in provider.services if s.code in asked]
    supported = {normalise_tag(tag.name) for tag in provider.software}
    for tool, software in replacing_software(answers, vocabulary).items():
        names = [name for name in software if normalise_tag(name) in supported]
        if names:
            parts.append(
                _("%(software)s instead of %(tool)s", software=", ".join(names), tool=tool)
            )
    parts += _area_reasons(provider, answers, taxonomy, locale)
    if answers.onsite and provider.work_mode_code in ("on_site", "both"):
        parts.append(_("Comes on site"))
    budget = BUDGETS_BY_CODE.get(answers.budget or "")
    for price in provider.price_models:
        fits = budget is not None and budget.prices is not None and price.code in budget.prices
        if fits or price.code == "association_discount":
            parts.append(price.label(locale))
    band = PEOPLE_BY_CODE.get(answers.people or "")
    audiences = {a.code: a for a in provider.audiences}
    if band is not None and band.audience in audiences:
        parts.append(_("Works with: %(audience)s", audience=audiences[band.audience].label(locale)))
    return parts


def _area_reasons(provider: Provider, answers: Answers, taxonomy: Taxonomy, locale: str):
    """The area a provider serves among those asked for, else how it works everywhere."""
    departement = answers.departement
    region_of = {d.code: d.region_code for d in taxonomy.departements}
    region = answers.region or region_of.get(departement or "")
    if not region and not answers.remote:
        return []
    served_departements = {d.code for d in provider.departements}
    served_regions = {r.code for r in provider.regions}
    served_regions |= {region_of.get(code) for code in served_departements}
    if departement and departement in served_departements:
        names = {d.code: d.label(locale) for d in taxonomy.departements}
        return [names[departement]]
    if region and region in served_regions:
        return [next(r.label(locale) for r in taxonomy.regions if r.code == region)]
    if provider.serves_nationwide:
        return [_("All of France")]
    if provider.serves_remotely:
        return [_("Remotely")]
    return []
