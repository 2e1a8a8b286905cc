"""Applying for an entry, the private status page, and amending a returned application."""

from flask import (
    Blueprint,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    url_for,
)
from flask_babel import gettext as _

from directory.forms.moderation import ActionForm
from directory.forms.provider import ApplicationForm, ProviderForm
from directory.i18n import current_locale
from directory.models import ApplicationState
from directory.services import applications, personal_data, tokens
from directory.services.logos import LogoRejected
from directory.services.taxonomy import load_taxonomy
from directory.views.access import form_rate_limit

bp = Blueprint("applications", __name__)


@bp.route("/apply", methods=["GET", "POST"])
@form_rate_limit("APPLY_RATE_LIMIT")
def apply():
    locale = current_locale()
    form = ApplicationForm(load_taxonomy(), locale)
    if form.validate_on_submit():
        if form.nickname.data:
            # A robot filled the hidden field: thank it and keep nothing.
            return render_template("applications/received.html", status_url=None)
        try:
            application = applications.submit_new(
                form.to_data(),
                form.contact_email.data,
                locale,
                form.logo_stream(),
                submission_key=form.submission(),
            )
        except LogoRejected as rejected:
            form.refuse_logo(rejected.reason)
        else:
            token = tokens.status_token(application.id, application.reference)
            return redirect(url_for("applications.received", token=token))
    status = 400 if form.is_submitted() else 200
    return render_template("applications/apply.html", form=form), status


def _application_or_404(token: str):
    return applications.by_status_token(token) or abort(404)


@bp.get("/apply/received/<token>")
def received(token: str):
    application = _application_or_404(token)
    return render_template(
        "applications/received.html",
        application=application,
        status_url=url_for("applications.status", token=token),
    )


@bp.get("/status/<token>")
def status(token: str):
    application = _application_or_404(token)
    return render_template("applications/status.html", application=application, token=token)


@bp.route("/status/<token>/amend", methods=["GET", "POST"])
def amend(token: str):
    application = _application_or_404(token)
    if application.state != ApplicationState.CHANGES_REQUESTED:
        return redirect(url_for("applications.status", token=token))
    form = ProviderForm(load_taxonomy(), current_locale())
    if not form.is_submitted():
        form.fill(application.data)
    elif form.validate():
        try:
            applications.amend(application.id, form.to_data(), form.logo_stream())
        except LogoRejected as rejected:
            form.refuse_logo(rejected.reason)
        except applications.NotAmendable:
            return redirect(url_for("applications.status", token=token))
        else:
            flash(_("Thank you: your application is back in the moderators' queue."), "success")
            return redirect(url_for("applications.status", token=token))
    status_code = 400 if form.is_submitted() else 200
    return render_template(
        "applications/amend.html", form=form, application=application, token=token
    ), status_code


@bp.get("/status/<token>/data.json")
def download_data(token: str):
    """The applicant's own data, as a file (the link is private)."""
    application = _application_or_404(token)
    response = jsonify(personal_data.application_export(application))
    response.headers["Content-Disposition"] = (
        f'attachment; filename="application-{application.reference}.json"'
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/status/<token>/delete", methods=["GET", "POST"])
def delete(token: str):
    application = _application_or_404(token)
    form = ActionForm()
    if form.validate_on_submit():
        try:
            personal_data.erase_application(application.id)
        except personal_data.NotErasable:
            flash(
                _(
                    "This application became an entry of the directory: ask for the removal "
                    "of the entry from its edit link."
                ),
                "warning",
            )
            return redirect(url_for("applications.status", token=token))
        flash(_("Your application and its data have been erased."), "success")
        return redirect(url_for("search.home"))
    return render_template(
        "applications/delete.html", application=application, form=form, token=token
    )
