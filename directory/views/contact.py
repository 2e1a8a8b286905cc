"""Writing to a provider from its page, and the sender's private link to erase its message."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from directory.forms.contact import ContactForm
from directory.forms.moderation import ActionForm
from directory.i18n import current_locale
from directory.services import contact, providers
from directory.services.taxonomy import load_taxonomy
from directory.views.access import form_rate_limit

bp = Blueprint("contact", __name__)


def _provider_or_404(slug: str):
    return providers.get_by_slug(slug) or abort(404)


@bp.route("/providers/<slug>/contact", methods=["GET", "POST"])
@form_rate_limit("CONTACT_FORM_RATE_LIMIT")
def write(slug: str):
    provider = _provider_or_404(slug)
    if not contact.accepts_messages(provider):
        return render_template("contact/write.html", provider=provider, form=None)
    taxonomy = load_taxonomy()
    form = ContactForm(taxonomy, current_locale(), contact.retention_months())
    if not form.is_submitted() and len(provider.services) == 1:
        form.service.data = provider.services[0].code
    status = 200
    if form.validate_on_submit():
        if form.nickname.data:
            # A robot filled the hidden field: thank it and keep nothing.
            return redirect(url_for("contact.sent", slug=slug))
        try:
            contact.send(
                provider.id,
                form.draft(),
                request.remote_addr or "",
                taxonomy,
                submission_key=form.submission(),
            )
        except contact.RateLimited:
            form.refuse_as_too_frequent()
            status = 429
        except contact.NotReachable:
            abort(404)
        else:
            return redirect(url_for("contact.sent", slug=slug))
    elif form.is_submitted():
        status = 400
    return render_template("contact/write.html", provider=provider, form=form), status


@bp.get("/providers/<slug>/contact/sent")
def sent(slug: str):
    provider = _provider_or_404(slug)
    return render_template("contact/sent.html", provider=provider)


@bp.route("/contact/<token>", methods=["GET", "POST"])
def erase(token: str):
    message = contact.by_token(token)
    if message is None:
        return render_template("contact/erased.html"), 404
    form = ActionForm()
    if form.validate_on_submit():
        contact.erase(message.id)
        flash(_("Your message and your address have been erased."), "success")
        return redirect(url_for("search.home"))
    return render_template("contact/erase.html", message=message, form=form)
