"""The facets, declared once: the schema, the documents, the search form, the panels, the API
parameters and its OpenAPI description all loop over FACETS.

A new facet is one line here (plus its label's translations). The area facet is the one
exception: two parameters (région and département) share one index field whose tokens
("r:53", "d:29") stay inside this package; `area_tokens` turns public codes into them.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from directory.models import Provider
from directory.models.recommendations import MIN_FOR_A_COUNT

NATIONWIDE = "france"
REMOTE = "remote"
# Area tokens that a région or département filter also matches, unless the user opts out.
WIDE_AREAS = (NATIONWIDE, REMOTE)
AREA_FIELD = "area"


@dataclass(frozen=True)
class Facet:
    """A facet: its query parameter (also its index field and its API name), its legend,
    the codes a provider holds, and where its choices come from: an attribute of the
    taxonomy (`vocabulary`, minus `hidden` codes) or fixed `choices` (code, label)."""

    param: str
    label: object
    values: Callable[[Provider], Iterable[str]]
    vocabulary: str | None = None
    hidden: tuple[str, ...] = ()
    choices: tuple[tuple[str, object], ...] = ()
    description: str = ""

    @property
    def field(self) -> str:
        return self.param


def _mode_values(provider: Provider) -> set[str]:
    """ "both" counts as on site and as remote, so each filter finds the providers doing both."""
    if provider.work_mode_code == "both":
        return {"on_site", "remote"}
    return {provider.work_mode_code}


FACETS: tuple[Facet, ...] = (
    Facet("service", _l("Services"), lambda p: {s.code for s in p.services}, "services",
          description="Service codes (see the taxonomy)."),
    Facet("kind", _l("Kind of structure"), lambda p: {p.kind_code}, "structure_kinds",
          description="Kinds of structure."),
    Facet("price", _l("Price"), lambda p: {m.code for m in p.price_models}, "price_models",
          description="Price models."),
    Facet("audience", _l("Works with"), lambda p: {a.code for a in p.audiences}, "audiences",
          description="Audiences the provider works with (see the taxonomy)."),
    Facet("mode", _l("Way of working"), _mode_values, "work_modes", hidden=("both",),
          description="Ways of working: on_site, remote."),
    Facet("chatons", _l("CHATONS"), lambda p: {"yes" if p.chatons_member else "no"},
          choices=(("yes", _l("Member of CHATONS")),),
          description="yes: CHATONS members only."),
    Facet("recommended", _l("Testimonials"),
          lambda p: {"yes" if p.recommendations.recommended else "no"},
          choices=(("yes", _l("Recommended by associations")),),
          description=f"yes: providers with at least {MIN_FOR_A_COUNT} published testimonials, "
                      "most of which recommend them."),
)  # fmt: skip
BY_PARAM = {facet.param: facet for facet in FACETS}


REGION_PREFIX = "r:"
DEPARTEMENT_PREFIX = "d:"


def region_token(code: str) -> str:
    return f"{REGION_PREFIX}{code}"


def departement_token(code: str) -> str:
    return f"{DEPARTEMENT_PREFIX}{code}"


def area_tokens(
    regions: Iterable[str], departements: Iterable[str], region_of: Mapping[str, str]
) -> frozenset[str]:
    """The area filter of these régions and départements: a département inside a selected
    région narrows it to that département; a région without one counts whole; départements
    of other régions add to them."""
    departements = list(departements)
    narrowed = {region_of.get(code) for code in departements}
    tokens = {region_token(code) for code in regions if code not in narrowed}
    return frozenset(tokens | {departement_token(code) for code in departements})


def area_values(provider: Provider) -> set[str]:
    """The area tokens a provider matches.

    A provider serving a région matches that région and each of its départements; a provider
    serving a département matches it and its région. Nationwide and remote are their own
    tokens, added to area filters at query time so that the user can leave them out.
    """
    values = set()
    for region in provider.regions:
        values.add(region_token(region.code))
        values.update(departement_token(d.code) for d in region.departements)
    for departement in provider.departements:
        values.add(departement_token(departement.code))
        values.add(region_token(departement.region_code))
    if provider.serves_nationwide:
        values.add(NATIONWIDE)
    if provider.serves_remotely:
        values.add(REMOTE)
    return values


def facet_values(provider: Provider) -> dict[str, set[str]]:
    """Each facet field's values for a provider."""
    values = {facet.field: set(facet.values(provider)) for facet in FACETS}
    values[AREA_FIELD] = area_values(provider)
    return values
