"""The facet panels of the results page and of the API: each option with its count."""

from dataclasses import dataclass
from functools import cached_property

from directory.forms.search import SearchForm
from directory.search import SearchResult
from directory.search.facets import FACETS


@dataclass(frozen=True)
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool
    # Areas only: the count without the providers working nationwide or remotely.
    local: int | None = None


# How many options of a facet show before its "Show more": the most frequent ones (plus
# every selected one); a facet with at most two options more shows them all.
FEATURED = 6


@dataclass(frozen=True)
class FacetPanel:
    """One facet as the results page shows it: a legend and its options with counts."""

    name: str
    legend: str
    options: list[FacetOption]

    @cached_property
    def featured(self) -> list[FacetOption]:
        """The options shown at once, in display order: every selected one (so that what
        was ticked stays in sight) and the FEATURED with the most results."""
        if len(self.options) <= FEATURED + 2:
            return self.options
        ranked = sorted(
            (o for o in self.options if o.count and not o.selected), key=lambda o: -o.count
        )
        shown = {o.value for o in ranked[:FEATURED]}
        return [o for o in self.options if o.selected or o.value in shown]

    @cached_property
    def more(self) -> list[FacetOption]:
        """The other options, in display order, folded under "Show more"."""
        shown = {o.value for o in self.featured}
        return [o for o in self.options if o.value not in shown]

    @property
    def selected_count(self) -> int:
        return sum(o.selected for o in self.options)


def _panel(select, options) -> FacetPanel:
    return FacetPanel(select.name, str(select.label.text), options)


def _area_option(select, choice, result: SearchResult) -> FacetOption:
    """A région or département ("region" / "dept", the select's name) with its count and its
    local count."""
    return FacetOption(
        choice.value,
        choice.label,
        result.area_count(select.name, choice.value),
        choice.value in select.data,
        result.area_count(select.name, choice.value, local=True),
    )


def facet_panels(form: SearchForm, result: SearchResult) -> list[FacetPanel]:
    """The facets of the results page, in display order (the régions after the first facet),
    with each value's count."""
    panels = [
        _panel(
            form[facet.param],
            [
                FacetOption(c.value, c.label, result.count(facet.field, c.value), c.value in data)
                for c in form[facet.param].choices
            ],
        )
        for facet in FACETS
        for data in [form[facet.param].data]
    ]
    regions = _panel(
        form.region, [_area_option(form.region, c, result) for c in form.region.choices]
    )
    return [panels[0], regions, *panels[1:]]


def departement_options(form: SearchForm, result: SearchResult) -> list[FacetOption]:
    """The départements to choose from: those of the selected régions when there are some
    (and any département already selected), else all of them."""
    regions, departements = form.selected_areas()
    region_of = {d.code: d.region_code for d in form._taxonomy.departements}
    return [
        _area_option(form.dept, choice, result)
        for choice in form.dept.choices
        if not regions or region_of.get(choice.value) in regions or choice.value in departements
    ]


__all__ = ["FacetOption", "FacetPanel", "departement_options", "facet_panels"]
