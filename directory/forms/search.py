"""The search form: every state of a search lives in the query string of a GET request."""

from functools import cached_property
from urllib.parse import urlencode

from flask import url_for
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict
from wtforms import Form, SearchField, SelectChoice, SelectField, SelectMultipleField

from directory.search import SORTS, SearchRequest
from directory.search.facets import AREA_FIELD, FACETS, Facet, area_tokens
from directory.services.taxonomy import Taxonomy

SORT_LABELS = {
    "relevance": _l("Relevance"),
    "recommended": _l("Recommended by associations"),
    "name": _l("Name"),
    "updated": _l("Recently updated"),
    "distance": _l("Distance"),
}
MAX_PAGE = 10_000


class SearchForm(Form):
    """Parses request.args leniently: unknown values are dropped, never an error page, so that
    an old or hand-edited link still shows results. One multiple select per facet of
    search.facets.FACETS, plus région and département."""

    q = SearchField(_l("What are you looking for?"))
    region = SelectMultipleField(_l("Régions"), validate_choice=False)
    dept = SelectMultipleField(_l("Département"), validate_choice=False)
    sort = SelectField(_l("Sort by"), validate_choice=False)
    near = SearchField(_l("Your postcode"))

    def __init__(self, args: MultiDict, taxonomy: Taxonomy, locale: str, gazetteer=None):
        """`gazetteer` (services.places) reads places typed in the query as area filters,
        unless the query string says `asis=1` (the word searched as text)."""
        super().__init__(formdata=_clean(args))
        self.locale = locale
        for facet in FACETS:
            self[facet.param].choices = facet_choices(facet, taxonomy, locale)
        self.region.choices = _choices(taxonomy.regions, locale)
        self.dept.choices = _choices(taxonomy.departements, locale)
        self.near.data = (self.near.data or "").strip()[:40]
        # The distance order exists only once the visitor said where they are.
        self.sort.choices = [
            SelectChoice(value, str(label))
            for value, label in SORT_LABELS.items()
            if value != "distance" or self.near.data
        ]
        for select in self.multi_selects():
            known = {choice.value for choice in select.choices}
            select.data = [value for value in select.data or [] if value in known]
        if self.sort.data not in SORTS or (self.sort.data == "distance" and not self.near.data):
            self.sort.data = "distance" if self.near.data else "relevance"
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
        """Every filter, in display order: the first facet, then the areas, then the rest."""
        selects = [self[facet.param] for facet in FACETS]
        return [selects[0], self.region, self.dept, *selects[1:]]

    def to_request(
        self,
        per_page: int,
        sort: str | None = None,
        page: int | None = None,
        distances: dict[str, float] | None = None,
    ) -> SearchRequest:
        """The search this form describes; feeds and widgets impose their own sort and page;
        `distances` (services.nearby) from where the visitor said they are."""
        return SearchRequest(
            text=self.text,
            filters={
                **{facet.field: frozenset(self[facet.param].data) for facet in FACETS},
                AREA_FIELD: self.area_filter(),
            },
            include_wide=self.include_wide,
            distances=distances,
            boost=" ".join(place.words for place in self.places),
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

    def area_filter(self) -> frozenset[str]:
        """The area filter (see search.facets.area_tokens: a département inside a selected
        région narrows it)."""
        regions, departements = self.selected_areas()
        region_of = {d.code: d.region_code for d in self._taxonomy.departements}
        return area_tokens(regions, departements, region_of)

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
        return self._results_url + (f"?{query}" if query else "")

    @cached_property
    def _results_url(self) -> str:
        """The results page's path, built once per page (the map links to it 18 times)."""
        return url_for("search.results")

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


for _facet in FACETS:
    setattr(SearchForm, _facet.param, SelectMultipleField(_facet.label, validate_choice=False))


def facet_choices(facet: Facet, taxonomy: Taxonomy, locale: str) -> list[SelectChoice]:
    """A facet's choices: its vocabulary's terms, or its fixed choices."""
    if facet.vocabulary is None:
        return [SelectChoice(code, str(label)) for code, label in facet.choices]
    terms = getattr(taxonomy, facet.vocabulary)
    return _choices([term for term in terms if term.code not in facet.hidden], locale)


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
