"""Feeds and discovery: Atom feed, sitemap, OpenSearch description, embeddable widget."""

from flask import Blueprint, Response, render_template, request, url_for

from directory.forms.search import SearchForm
from directory.i18n import current_locale
from directory.services import providers, public_data
from directory.services.places import gazetteer
from directory.services.taxonomy import load_taxonomy
from directory.urls import url_with_query

bp = Blueprint("feeds", __name__)

FEED_SIZE = 50
WIDGET_SIZE = 30


def _matching(sort: str, size: int):
    """Providers matching the query string's filters, through the search page's code path."""
    taxonomy = load_taxonomy()
    form = SearchForm(request.args, taxonomy, current_locale(), gazetteer(taxonomy))
    found = providers.find(form.to_request(size, sort=sort, page=1), as_cards=True)
    return form, found.result, found.providers


def _xml(body: str, mimetype: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.add_etag()
    return response.make_conditional(request)


@bp.get("/feeds/providers.atom")
def atom():
    """Newly listed and updated providers, newest first; accepts the search filters."""
    form, _result, found = _matching("updated", FEED_SIZE)
    return _xml(
        render_template(
            "feeds/providers.atom.xml",
            form=form,
            providers=found,
            updated=public_data.iso_datetime(public_data.last_change()),
            iso=public_data.iso_datetime,
            self_url=url_with_query("feeds.atom", request.args, _external=True),
        ),
        "application/atom+xml",
    )


@bp.get("/sitemap.xml")
def sitemap():
    pages = [
        url_for(endpoint, _external=True)
        for endpoint in (
            "search.home",
            "search.results",
            "pages.about",
            "pages.how_to_apply",
            "pages.charter",
            "pages.faq",
            "applications.apply",
        )
    ]
    pages += [url_for("providers.show", slug=p.slug, _external=True) for p in providers.iter_all()]
    return _xml(render_template("feeds/sitemap.xml", pages=pages), "application/xml")


@bp.get("/opensearch.xml")
def opensearch():
    return _xml(render_template("feeds/opensearch.xml"), "application/opensearchdescription+xml")


@bp.get("/embed")
def embed():
    """A read-only list for other sites' iframes, filtered like the search page."""
    form, result, found = _matching("name", WIDGET_SIZE)
    response = Response(
        render_template(
            "feeds/embed.html",
            form=form,
            result=result,
            providers=found,
            more_url=url_with_query("search.results", request.args, _external=True),
        )
    )
    # Meant to be framed by any site: no frame restriction on this page only.
    response.headers["Content-Security-Policy"] = "frame-ancestors *"
    return response
