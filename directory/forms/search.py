"""The search form: every state of a search lives in the query string of a GET request."""

from dataclasses import dataclass
from urllib.parse import urlencode

from flask import url_for
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict
from wtforms import Form, SearchField, SelectChoice, SelectField, SelectMultipleField

from directory.search import SORTS, SearchRequest, SearchResult
from directory.search.documents import departement_value, region_value
from directory.services.taxonomy import Taxonomy

SORT_LABELS = {
    "relevance": _l("Relevance"),
    "name": _l("Name"),
    "updated": _l("Recently updated"),
}
MAX_PAGE = 10_000


class SearchForm(Form):
    """Parses request.args leniently: unknown values are dropped, never an error page, so that
    an old or hand-edited link still shows results."""

    q = SearchField(_l("What are you looking for?"))
    service = SelectMultipleField(_l("Services"), validate_choice=False)
    region = SelectMultipleField(_l("Régions"), validate_choice=False)
    dept = SelectMultipleField(_l("Département"), validate_choice=False)
    kind = SelectMultipleField(_l("Kind of structure"), validate_choice=False)
    price = SelectMultipleField(_l("Price"), validate_choice=False)
    mode = SelectMultipleField(_l("Way of working"), validate_choice=False)
    chatons = SelectMultipleField(_l("CHATONS"), validate_choice=False)
    sort = SelectField(_l("Sort by"), validate_choice=False)

    def __init__(self, args: MultiDict, taxonomy: Taxonomy, locale: str, gazetteer=None):
        """`gazetteer` (services.places) reads places typed in the query as area filters,
        unless the query string says `asis=1` (the word searched as text)."""
        super().__init__(formdata=_clean(args))
        self.locale = locale
        self.service.choices = _choices(taxonomy.services, locale)
        self.region.choices = _choices(taxonomy.regions, locale)
        self.dept.choices = _choices(taxonomy.departements, locale)
        self.kind.choices = _choices(taxonomy.structure_kinds, locale)
        self.price.choices = _choices(taxonomy.price_models, locale)
        # "both" is not a filter of its own: such providers match on site and remote.
        self.mode.choices = _choices([t for t in taxonomy.work_modes if t.code != "both"], locale)
        self.chatons.choices = [SelectChoice("yes", str(_l("Member of CHATONS")))]
        self.sort.choices = [
            SelectChoice(value, str(label)) for value, label in SORT_LABELS.items()
        ]
        for select in self.multi_selects():
            known = {choice.value for choice in select.choices}
            select.data = [value for value in select.data or [] if value in known]
        if self.sort.data not in SORTS:
            self.sort.data = "relevance"
        # The checkbox is ticked unless the form sent only the hidden "0" that precedes it.
        wide_values = args.getlist("wide")
        self.include_wide = not wide_values or "1" in wide_values
        self.page = _page_number(args.get("page"))
        self._args = args
        self._taxonomy = taxonomy
        self.as_typed = args.get("asis") == "1"
        self.places, self.text = [], self.q.data or ""
        if gazetteer is not None and not self.as_typed:
            self.places, self.text = gazetteer.find(self.text)

    def multi_selects(self) -> list[SelectMultipleField]:
        return [
            self.service,
            self.region,
            self.dept,
            self.kind,
            self.price,
            self.mode,
            self.chatons,
        ]

    def to_request(
        self, per_page: int, sort: str | None = None, page: int | None = None
    ) -> SearchRequest:
        """The search this form describes; feeds and widgets impose their own sort and page."""
        return SearchRequest(
            text=self.text,
            filters={
                "service": frozenset(self.service.data),
                "area": frozenset(self.area_values()),
                "kind": frozenset(self.kind.data),
                "price": frozenset(self.price.data),
                "mode": frozenset(self.mode.data),
                "chatons": frozenset(self.chatons.data),
            },
            include_wide=self.include_wide,
            autocorrect=not self.as_typed,
            sort=sort or self.sort.data,
            page=page or self.page,
            per_page=per_page,
            locale=self.locale,
        )

    def selected_areas(self) -> tuple[list[str], list[str]]:
        """Régions and départements asked for, by the filters or by places in the query."""
        regions = list(dict.fromkeys(self.region.data + self.place_codes("region")))
        departements = list(dict.fromkeys(self.dept.data + self.place_codes("dept")))
        return regions, departements

    def place_codes(self, param: str) -> list[str]:
        return [place.code for place in self.places if place.param == param]

    def area_values(self) -> set[str]:
        """The area filter: a département inside a selected région narrows it to that
        département; a région without one counts whole; départements of other régions add
        to them."""
        regions, departements = self.selected_areas()
        region_of = {d.code: d.region_code for d in self._taxonomy.departements}
        narrowed = {region_of.get(code) for code in departements}
        values = {region_value(code) for code in regions if code not in narrowed}
        return values | {departement_value(code) for code in departements}

    def place_chips(self) -> list[dict]:
        """Each place read in the query: its label, the search without it, and the search
        with the word read as text instead."""
        labels = {
            **{("region", c.value): c.label for c in self.region.choices},
            **{("dept", c.value): c.label for c in self.dept.choices},
        }
        args = {key: values for key, values in self._args.lists() if key != "page"}
        chips = []
        for place in self.places:
            rest = " ".join((self.q.data or "").replace(place.words, " ", 1).split())
            chips.append(
                {
                    "label": str(labels.get((place.param, place.code), place.code)),
                    "words": place.words,
                    "without": {**args, "q": [rest]}
                    if rest
                    else {k: v for k, v in args.items() if k != "q"},
                    "as_text": self.as_typed_args(),
                }
            )
        return chips

    def href(self, args: dict[str, list[str]]) -> str:
        """The results page's URL for these query arguments."""
        query = urlencode([(key, value) for key, values in args.items() for value in values])
        return url_for("search.results") + (f"?{query}" if query else "")

    def as_typed_args(self) -> dict[str, list[str]]:
        """This search with the query read as typed: no place, no correction."""
        args = {key: values for key, values in self._args.lists() if key != "page"}
        return {**args, "asis": ["1"]}

    def active_filters(self) -> list[tuple[str, str, str]]:
        """(parameter, value, label) of every selected filter value, in display order."""
        return [
            (select.name, choice.value, str(choice.label))
            for select in self.multi_selects()
            for choice in select.choices
            if choice.value in select.data
        ]

    def args_without(self, name: str, value: str) -> dict[str, list[str]]:
        """The query string of this search minus one filter value, back on page 1."""
        args = {
            key: [v for v in values if not (key == name and v == value)]
            for key, values in self._args.lists()
            if key != "page"
        }
        return {key: values for key, values in args.items() if values}

    def args_toggled(self, name: str, value: str) -> dict[str, list[str]]:
        """The query string of this search with one filter value ticked or unticked, page 1."""
        if value in self._args.getlist(name):
            return self.args_without(name, value)
        args = {key: values for key, values in self._args.lists() if key != "page"}
        return {**args, name: [*args.get(name, []), value]}

    @property
    def has_filters(self) -> bool:
        return bool(self.places) or any(select.data for select in self.multi_selects())


def _choices(terms, locale: str) -> list[SelectChoice]:
    return [SelectChoice(term.code, term.label(locale)) for term in terms]


def _clean(args: MultiDict) -> MultiDict:
    """Drops NUL bytes and other control characters, which no field can hold."""
    cleaned = MultiDict()
    for key, value in args.items(multi=True):
        cleaned.add(key, "".join(c for c in value if c >= " " or c in "\t\n"))
    return cleaned


def _page_number(raw: str | None) -> int:
    try:
        return min(max(1, int(raw or 1)), MAX_PAGE)
    except ValueError:
        return 1


@dataclass(frozen=True)
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool
    # Areas only: the count without the providers working nationwide or remotely.
    local: int | None = None


@dataclass(frozen=True)
class FacetPanel:
    """One facet as the results page shows it: a legend and its options with counts."""

    name: str
    legend: str
    options: list[FacetOption]


def facet_panels(form: SearchForm, result: SearchResult) -> list[FacetPanel]:
    """The facets of the results page, in display order, with each value's count."""

    def panel(select, facet: str, to_value=lambda code: code) -> FacetPanel:
        options = [
            FacetOption(
                choice.value,
                choice.label,
                result.count(facet, to_value(choice.value)),
                choice.value in select.data,
                result.local_count(to_value(choice.value)) if facet == "area" else None,
            )
            for choice in select.choices
        ]
        return FacetPanel(select.name, str(select.label.text), options)

    return [
        panel(form.service, "service"),
        panel(form.region, "area", region_value),
        panel(form.kind, "kind"),
        panel(form.price, "price"),
        panel(form.mode, "mode"),
        panel(form.chatons, "chatons"),
    ]


def departement_options(form: SearchForm, result: SearchResult) -> list[FacetOption]:
    """The départements to choose from: those of the selected régions when there are some
    (and any département already selected), else all of them."""
    regions, departements = form.selected_areas()
    region_of = {d.code: d.region_code for d in form._taxonomy.departements}
    return [
        FacetOption(
            choice.value,
            choice.label,
            result.count("area", departement_value(choice.value)),
            choice.value in form.dept.data,
            result.local_count(departement_value(choice.value)),
        )
        for choice in form.dept.choices
        if not regions or region_of.get(choice.value) in regions or choice.value in departements
    ]
