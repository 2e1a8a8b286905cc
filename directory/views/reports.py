"""Reporting a problem with an entry, from its page."""

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _

from directory.forms.report import ReportForm
from directory.i18n import current_locale
from directory.services import providers, reports
from directory.views.access import form_rate_limit

bp = Blueprint("reports", __name__)


def _provider_or_404(slug: str):
    return providers.get_by_slug(slug) or abort(404)


@bp.route("/providers/<slug>/report", methods=["GET", "POST"])
@form_rate_limit("REPORT_FORM_RATE_LIMIT")
def write(slug: str):
    provider = _provider_or_404(slug)
    form = ReportForm(current_locale())
    status = 200
    if form.validate_on_submit():
        if form.nickname.data:
            # A robot filled the hidden field: thank it and keep nothing.
            return redirect(url_for("reports.sent", slug=slug))
        try:
            reports.submit(
                provider.id,
                form.draft(),
                request.remote_addr or "",
                submission_key=form.submission(),
            )
        except reports.RateLimited:
            form.form_errors.append(
                _(
                    "You have sent several reports in a short time: please wait an hour "
                    "before sending this one. What you typed is kept below."
                )
            )
            status = 429
        except reports.NotReportable:
            abort(404)
        else:
            return redirect(url_for("reports.sent", slug=slug))
    elif form.is_submitted():
        status = 400
    return render_template("reports/write.html", provider=provider, form=form), status


@bp.get("/providers/<slug>/report/sent")
def sent(slug: str):
    provider = _provider_or_404(slug)
    return render_template("reports/sent.html", provider=provider)
