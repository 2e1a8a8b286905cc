"""The need of a request: the questionnaire's answers read from a query string, checked,
told in words, and the providers that match it (to replace one that cannot help).

The answers come from a URL anyone can type: every value is checked against the taxonomy,
the vocabulary or a short pattern, and anything else is dropped without a word (never a
500). The questionnaire (services.guide) owns the meaning of `want`, `people` and
`budget`; a `want` that is a service code (an older link) is read as that service.
"""

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass

from flask_babel import gettext as _

from directory import search
from directory.search.facets import AREA_FIELD, area_tokens
from directory.services import guide
from directory.services.places import departement_of_postcode
from directory.services.taxonomy import Taxonomy
from directory.services.vocabulary import load_vocabulary

# At most this many providers receive a request at a time.
MAX_RECIPIENTS = 3
MAX_TOOLS = 10
_CODE = re.compile(r"[a-z][a-z0-9_]{0,31}")
_BAND = re.compile(r"[0-9a-z+_-]{1,16}")
_POSTCODE = re.compile(r"\d{5}")


@dataclass(frozen=True)
class Need:
    """What the association said of its need; every field optional and already checked."""

    want: str = ""
    tools: tuple[str, ...] = ()
    region: str = ""
    postcode: str = ""
    remote: bool = False
    people: str = ""
    onsite: bool = False
    budget: str = ""

    def as_data(self) -> dict:
        """The answers as stored with the request (JSON), empty ones left out."""
        return {
            key: list(value) if isinstance(value, tuple) else value
            for key, value in asdict(self).items()
            if value
        }

    @classmethod
    def from_data(cls, data: Mapping) -> "Need":
        data = dict(data or {})
        data["tools"] = tuple(data.get("tools") or ())
        return cls(**{key: value for key, value in data.items() if key in cls.__annotations__})

    def as_query(self) -> dict:
        """The answers as query parameters (the contract with the questionnaire)."""
        query = {
            "want": self.want,
            "tool": list(self.tools),
            "region": self.region,
            "postcode": self.postcode,
            "remote": "1" if self.remote else "",
            "people": self.people,
            "onsite": "1" if self.onsite else "",
            "budget": self.budget,
        }
        return {key: value for key, value in query.items() if value}

    def region_code(self, taxonomy: Taxonomy) -> str | None:
        """The région given, else the one of the postcode's département."""
        if self.region:
            return self.region
        departement = departement_of_postcode(self.postcode)
        for region in taxonomy.regions:
            if any(d.code == departement for d in region.departements):
                return region.code
        return None


def _first(args, name: str) -> str:
    values = args.getlist(name) if hasattr(args, "getlist") else [args.get(name)]
    value = values[0] if values else None
    return value.strip() if isinstance(value, str) else ""


def read_need(args, taxonomy: Taxonomy) -> Need:
    """The answers of a query string (a MultiDict); unknown and hostile values dropped."""
    want = _first(args, "want")
    region = _first(args, "region")
    budget = _first(args, "budget")
    postcode = _first(args, "postcode")
    people = _first(args, "people")
    known_tools = {entry.name.casefold(): entry.name for entry in load_vocabulary().tools}
    tools = []
    for name in args.getlist("tool")[:50] if hasattr(args, "getlist") else ():
        tool = known_tools.get(str(name).strip().casefold())
        if tool and tool not in tools:
            tools.append(tool)
    return Need(
        want=want if _CODE.fullmatch(want) else "",
        tools=tuple(tools[:MAX_TOOLS]),
        region=region if region in {r.code for r in taxonomy.regions} else "",
        postcode=postcode if _POSTCODE.fullmatch(postcode) else "",
        remote=_first(args, "remote") == "1",
        people=people if _BAND.fullmatch(people) else "",
        onsite=_first(args, "onsite") == "1",
        budget=budget if budget in {p.code for p in taxonomy.price_models} else "",
    )


def describe(need: Need, taxonomy: Taxonomy, locale: str) -> list[str]:
    """The need in words, one line per answer, in the current (or forced) locale."""
    lines = []
    services = {term.code: term for term in taxonomy.services}
    if need.want in guide.WANTS_BY_CODE:
        lines.append(_("Wants: %(service)s", service=guide.WANTS_BY_CODE[need.want].label))
    elif need.want in services:
        lines.append(_("Wants: %(service)s", service=services[need.want].label(locale)))
    if need.tools:
        lines.append(_("Uses now: %(tools)s", tools=", ".join(need.tools)))
    regions = {term.code: term for term in taxonomy.regions}
    if need.region in regions:
        lines.append(_("Région: %(region)s", region=regions[need.region].label(locale)))
    if need.postcode:
        lines.append(_("Postcode: %(postcode)s", postcode=need.postcode))
    if need.remote:
        lines.append(_("Working remotely is fine."))
    if need.onsite:
        lines.append(_("Wants someone on site."))
    if need.people:
        band = guide.PEOPLE_BY_CODE.get(need.people)
        lines.append(
            _("People who will use the tools: %(band)s", band=band.label if band else need.people)
        )
    prices = {term.code: term for term in taxonomy.price_models}
    if need.budget in prices:
        lines.append(_("Budget: %(price)s", price=prices[need.budget].label(locale)))
    return lines


def wanted_service(need: Need, taxonomy: Taxonomy) -> str | None:
    """The service the request form preselects: the first the questionnaire's answers
    call for (a tool to leave says which), or a service code given as `want`."""
    if need.want in {term.code for term in taxonomy.services}:
        return need.want
    answers = guide.Answers(want=need.want or None, tools=need.tools)
    services = guide.wanted_services(answers, load_vocabulary())
    return services[0] if services else None


def matching_providers(
    service_code: str, region_code: str | None, locale: str, exclude: set[int], limit: int = 3
) -> list[int]:
    """Ids of published providers offering `service_code` (and serving `region_code`,
    nationwide and remote ones included, when given), best first, without `exclude`.
    Raises search.IndexUnavailable."""
    filters = {"service": frozenset({service_code})}
    if region_code:
        filters[AREA_FIELD] = area_tokens([region_code], [], {})
    result = search.search(
        search.SearchRequest(
            filters=filters,
            locale=locale,
            per_page=limit + len(exclude),
            facets=False,
            autocorrect=False,
        )
    )
    ids = [hit.provider_id for hit in result.hits if hit.provider_id not in exclude]
    return ids[:limit]
