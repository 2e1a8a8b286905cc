"""The search form: every state of a search lives in the query string of a GET request."""

from dataclasses import dataclass

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

    def __init__(self, args: MultiDict, taxonomy: Taxonomy, locale: str):
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
        areas = {region_value(code) for code in self.region.data}
        areas |= {departement_value(code) for code in self.dept.data}
        return SearchRequest(
            text=self.q.data or "",
            filters={
                "service": frozenset(self.service.data),
                "area": frozenset(areas),
                "kind": frozenset(self.kind.data),
                "price": frozenset(self.price.data),
                "mode": frozenset(self.mode.data),
                "chatons": frozenset(self.chatons.data),
            },
            include_wide=self.include_wide,
            sort=sort or self.sort.data,
            page=page or self.page,
            per_page=per_page,
            locale=self.locale,
        )

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
        return any(select.data for select in self.multi_selects())


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
    return [
        FacetOption(
            choice.value,
            choice.label,
            result.count("area", departement_value(choice.value)),
            choice.value in form.dept.data,
        )
        for choice in form.dept.choices
    ]
