"""The whole public directory as CSV and JSON, under an open licence."""

import io
import json

from flask import Blueprint, Response, request, url_for

from directory.services import csv_cells, providers, public_data, testimonial_reads

bp = Blueprint("exports", __name__, url_prefix="/export")


def _download(body: str, mimetype: str, filename: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.last_modified = public_data.last_change()
    response.add_etag()
    return response.make_conditional(request)


@bp.get("/providers.csv")
def providers_csv():
    buffer = io.StringIO()
    rows = (public_data.csv_row(provider) for provider in providers.iter_all())
    csv_cells.write_rows(buffer, public_data.CSV_COLUMNS, rows)
    response = _download(buffer.getvalue(), "text/csv; charset=utf-8", "providers.csv")
    # The licence in a header, not in the file: a first line "# …, …" was read by spreadsheets
    # as a two-column header. The JSON export and the about page name it too.
    response.headers["Link"] = f'<{public_data.LICENCE["url"]}>; rel="license"'
    return response


@bp.get("/providers.json")
def providers_json():
    testimonials = testimonial_reads.records_by_provider()
    payload = {
        "licence": public_data.LICENCE,
        "source": url_for("search.home", _external=True),
        "providers": [
            public_data.provider_record(p, testimonials.get(p.id, [])) for p in providers.iter_all()
        ],
    }
    body = json.dumps(payload, ensure_ascii=False, indent=1)
    return _download(body, "application/json", "providers.json")
