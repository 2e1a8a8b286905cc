"""The read-only JSON API (/api/v1/) and its OpenAPI description."""

from flask import Blueprint, abort, jsonify, request, url_for
from flask_babel import gettext as _

from directory import openapi as openapi_spec
from directory.forms.search import SearchForm
from directory.forms.search_panels import departement_options, facet_panels
from directory.i18n import current_locale
from directory.services import providers, public_data, testimonial_reads, vocabulary
from directory.services.places import gazetteer
from directory.services.taxonomy import load_taxonomy

bp = Blueprint("api", __name__, url_prefix="/api")

MAX_PER_PAGE = 100


@bp.after_request
def open_to_every_origin(response):
    """Read-only public data: any site may read it from a browser."""
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Expose-Headers"] = "ETag, Last-Modified"
    response.vary.add("Accept-Language")
    return response


def _conditional(payload: dict, last_modified=None):
    """A JSON response with an ETag and Last-Modified, answered 304 when unchanged."""
    response = jsonify(payload)
    response.add_etag()
    if last_modified is not None:
        response.last_modified = last_modified
    response.cache_control.public = True
    response.cache_control.max_age = 60
    return response.make_conditional(request)


def _per_page() -> int:
    try:
        return min(max(1, int(request.args.get("per_page", 20))), MAX_PER_PAGE)
    except ValueError:
        return 20


def _refused(problems):
    """A 400 answer naming the first parameter the description forbids (never echoing its
    value, which may be anything)."""
    name = problems[0][0]
    message = _("The parameter %(name)s has a value this API does not accept.", name=name)
    response = jsonify({"error": {"code": 400, "title": _("Bad request"), "message": message}})
    return response, 400


@bp.get("/v1/providers")
def list_providers():
    problems = openapi_spec.forbidden_parameters(openapi_spec.LIST_PATH, request.args)
    if problems:
        return _refused(problems)
    taxonomy = load_taxonomy()
    form = SearchForm(request.args, taxonomy, current_locale(), gazetteer(taxonomy))
    found = providers.find(form.to_request(_per_page()), as_cards=True)
    result = found.result
    facets = {
        panel.name: [vars(option) for option in panel.options]
        for panel in facet_panels(form, result)
    }
    facets["dept"] = [vars(option) for option in departement_options(form, result)]
    payload = {
        "total": result.total,
        "page": result.page,
        "pages": result.pages,
        "per_page": _per_page(),
        "suggestion": result.suggestion,
        "corrected": result.corrected,
        "items": [public_data.provider_record(provider) for provider in found.providers],
        "facets": facets,
        "licence": public_data.LICENCE,
    }
    return _conditional(payload, public_data.last_change())


@bp.get("/v1/providers/<slug>")
def show_provider(slug: str):
    provider = providers.get_by_slug(slug) or abort(404)
    record = public_data.provider_record(provider, testimonial_reads.records_of(provider.id))
    changed = testimonial_reads.last_change(provider.id)
    return _conditional(record, max(provider.updated_at, changed or provider.updated_at))


@bp.get("/v1/taxonomy")
def taxonomy():
    record = public_data.taxonomy_record(load_taxonomy())
    return _conditional({**record, "vocabulary": vocabulary.record(vocabulary.load_vocabulary())})


@bp.get("/openapi.json")
def openapi():
    public_root = url_for("search.home", _external=True).rstrip("/")
    return _conditional(openapi_spec.served_document(public_root))
