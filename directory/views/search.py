"""The home page and the results page."""

from pathlib import Path

from flask import Blueprint, current_app, render_template, request
from flask_login import current_user

from directory.card_faces import CardPainter
from directory.forms.search import SearchForm
from directory.forms.search_panels import departement_options, facet_panels
from directory.i18n import current_locale
from directory.page_cache import cached
from directory.search import SearchRequest
from directory.services import nearby, providers, reports
from directory.services.places import gazetteer
from directory.services.region_map import region_map
from directory.services.taxonomy import load_taxonomy

bp = Blueprint("search", __name__)

HOME_RECENT = 6


@bp.get("/")
@cached
def home():
    locale = current_locale()
    taxonomy = load_taxonomy()
    found = providers.find(
        SearchRequest(sort="updated", per_page=HOME_RECENT, locale=locale), as_cards=True
    )
    overview = found.result
    form = SearchForm(request.args, taxonomy, locale)
    painter = CardPainter(locale, dated="updated")
    return render_template(
        "search/home.html",
        form=form,
        taxonomy=taxonomy,
        overview=overview,
        region_map=_region_map(facet_panels(form, overview)),
        recent=[painter.face(provider) for provider in found.providers],
        card_words=painter.words,
    )


@bp.get("/search")
@cached
def results():
    locale = current_locale()
    taxonomy = load_taxonomy()
    form = SearchForm(request.args, taxonomy, locale, gazetteer(taxonomy))
    start = nearby.origin(form.near.data, _centres()) if form.near.data else None
    distances = nearby.distances(start, _centres()) if start else None
    found = providers.find(
        form.to_request(current_app.config["SEARCH_PER_PAGE"], distances=distances),
        as_cards=True,
    )
    result = found.result
    panels = facet_panels(form, result)
    painter = CardPainter(locale)
    return render_template(
        "search/results.html",
        form=form,
        result=result,
        hits=painter.faces(found.entries, _open_reports(found.entries)),
        card_words=painter.words,
        panels=panels,
        departements=departement_options(form, result),
        region_map=_region_map(panels),
        near_unknown=bool(form.near.data) and start is None,
    )


def _open_reports(entries) -> dict[int, int]:
    """Each card's open reports, for moderators only (the page is then never cached: see
    page_cache); visitors never see them."""
    if not current_user.is_authenticated:
        return {}
    return reports.open_counts([provider.id for _hit, provider in entries])


def _centres() -> str:
    """Département centres for the "near me" sort (see static/map/README.md)."""
    return str(Path(current_app.static_folder, "map", "departements.json"))


def _region_map(panels):
    """The map of the région panel's options, drawn from the outlines served in static/."""
    regions = next(panel for panel in panels if panel.name == "region")
    outlines = Path(current_app.static_folder, "map", "regions.json")
    return region_map(str(outlines), regions.options)
