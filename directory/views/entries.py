"""Listed providers keep their entry up to date through a private edit link."""

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

from directory.forms.moderation import ActionForm, EditLinkForm
from directory.forms.provider import ProviderForm
from directory.i18n import current_locale
from directory.services import (
    applications,
    contact_stats,
    personal_data,
    reports,
    request_stats,
    tokens,
)
from directory.services.logos import LogoRejected
from directory.services.provider_data import snapshot
from directory.services.taxonomy import load_taxonomy
from directory.views.access import form_rate_limit

bp = Blueprint("entries", __name__)


@bp.route("/edit-link", methods=["GET", "POST"])
@form_rate_limit("EDIT_LINK_RATE_LIMIT")
def request_link():
    form = EditLinkForm()
    if form.validate_on_submit():
        applications.send_edit_link(form.email.data, current_locale())
        return render_template("entries/link_sent.html")
    return render_template("entries/request_link.html", form=form), 400 if form.errors else 200


def _provider_or_404(token: str, offline_ok: bool = False):
    return applications.provider_by_edit_token(token, offline_ok) or abort(404)


@bp.route("/edit/<token>", methods=["GET", "POST"])
def edit(token: str):
    # An entry offline for want of verification opens too: confirming brings it back.
    provider = _provider_or_404(token, offline_ok=True)
    pending = applications.open_update(provider.id)
    form = ProviderForm(load_taxonomy(), current_locale())
    if not form.is_submitted():
        # From the update still waiting, if any: a new one replaces it, so it must carry it.
        form.fill(pending.data if pending is not None else snapshot(provider))
    elif not provider.published:
        form.form_errors.append(_("Your entry is offline: confirm it first, then change it."))
    elif form.validate():
        try:
            application = applications.submit_update(
                provider.id, form.to_data(), current_locale(), form.logo_stream()
            )
        except applications.NothingChanged:
            form.form_errors.append(_("You have not changed anything."))
        except LogoRejected as rejected:
            form.refuse_logo(rejected.reason)
        else:
            flash(
                _("Thank you: your changes will be online once a moderator has checked them."),
                "success",
            )
            status_token = tokens.status_token(application.id, application.reference)
            return redirect(url_for("applications.status", token=status_token))
    return render_template(
        "entries/edit.html",
        form=form,
        provider=provider,
        pending=pending,
        token=token,
        action_form=ActionForm(),
        messages_received=contact_stats.received(provider.id),
        requests_received=request_stats.received(provider.id),
        reported=reports.asked_reasons(provider.id),
    ), 400 if form.is_submitted() else 200


@bp.post("/edit/<token>/confirm")
def confirm(token: str):
    provider = _provider_or_404(token, offline_ok=True)
    if ActionForm().validate_on_submit():
        applications.confirm_entry(provider.id)
        flash(_("Thank you: your entry is marked as verified today."), "success")
    return redirect(url_for("entries.edit", token=token))


@bp.route("/edit/<token>/remove", methods=["GET", "POST"])
def remove(token: str):
    provider = _provider_or_404(token)
    form = ActionForm()
    if form.validate_on_submit():
        application = applications.request_removal(provider.id, current_locale())
        status_token = tokens.status_token(application.id, application.reference)
        flash(
            _("Your entry is no longer shown. A moderator will confirm the erasure of your data."),
            "success",
        )
        return redirect(url_for("applications.status", token=status_token))
    return render_template("entries/remove.html", provider=provider, form=form, token=token)


@bp.get("/edit/<token>/data.json")
def download_data(token: str):
    """Everything kept about the entry, private contact included (the link is private)."""
    provider = _provider_or_404(token, offline_ok=True)
    response = jsonify(personal_data.provider_export(provider))
    response.headers["Content-Disposition"] = f'attachment; filename="{provider.slug}.json"'
    response.headers["Cache-Control"] = "no-store"
    return response
