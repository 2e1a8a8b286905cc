"""Testimonials: the association's form from its invitation link, the provider's reply from
its edit link, and what templates need to show them."""

import contextlib
from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import format_date
from flask_babel import gettext as _

from directory.forms.moderation import ActionForm
from directory.forms.testimonial import ReplyForm, TestimonialForm
from directory.i18n import current_locale
from directory.services import applications, testimonial_reads, testimonials
from directory.services.taxonomy import load_taxonomy

bp = Blueprint("testimonials", __name__)


@bp.route("/testimonials/<token>", methods=["GET", "POST"])
def write(token: str):
    message = testimonials.contact_by_token(token) or abort(404)
    given = testimonials.given_for(message.id)
    if given is not None:
        return render_template(
            "testimonials/given.html",
            provider=message.provider,
            testimonial=given,
            form=ActionForm(),
            token=token,
        )
    provider = message.provider
    form = TestimonialForm(
        load_taxonomy(), [s.code for s in provider.services], current_locale(), date.today()
    )
    if not form.is_submitted():
        form.author_name.data = message.sender_name
        form.month.data = f"{message.created_at:%Y-%m}"
    elif form.validate():
        # Posted twice at once: the first one is kept, the second finds it.
        with contextlib.suppress(testimonials.AlreadyDone):
            testimonials.submit(message.id, form.draft())
        return redirect(url_for("testimonials.write", token=token))
    status = 400 if form.is_submitted() else 200
    return render_template("testimonials/write.html", provider=provider, form=form), status


@bp.post("/testimonials/<token>/erase")
def erase(token: str):
    message = testimonials.contact_by_token(token) or abort(404)
    if ActionForm().validate_on_submit():
        testimonials.erase(message.id)
        flash(_("Your testimonial has been erased."), "success")
    return redirect(url_for("testimonials.write", token=token))


@bp.post("/edit/<token>/testimonials/<int:testimonial_id>/reply")
def reply(token: str, testimonial_id: int):
    provider = applications.provider_by_edit_token(token) or abort(404)
    form = ReplyForm(prefix=f"reply-{testimonial_id}")
    if form.validate_on_submit():
        try:
            testimonials.reply(provider.id, testimonial_id, form.body.data)
        except LookupError:
            abort(404)
        except testimonials.AlreadyDone:
            flash(_("You have already replied to this testimonial."), "warning")
        else:
            flash(_("Thank you: your reply will be shown once a moderator has read it."), "success")
        return redirect(url_for("entries.edit", token=token))
    errors = [error for errors in form.errors.values() for error in errors]
    flash(" ".join(str(e) for e in errors) or _("Your reply could not be sent."), "warning")
    return redirect(url_for("entries.edit", token=token))


@bp.app_template_global()
def published_testimonials(provider_id: int):
    return testimonial_reads.published(provider_id)


@bp.app_template_global()
def reply_form(testimonial_id: int) -> ReplyForm:
    return ReplyForm(prefix=f"reply-{testimonial_id}", formdata=None)


@bp.app_template_global()
def month_label(month: str) -> str:
    """ "2026-11" as "novembre 2026" (or "November 2026")."""
    year, number = (int(part) for part in month.split("-"))
    return format_date(date(year, number, 1), "MMMM yyyy")


@bp.app_template_global()
def testimonial_author(testimonial) -> str:
    """The association's name, or "an association from <région>" when it signed so."""
    if testimonial.author_name:
        return testimonial.author_name
    regions = {region.code: region for region in load_taxonomy().regions}
    region = regions.get(testimonial.region_code)
    if region is None:
        return _("an association")
    return _("an association from %(region)s", region=region.label(current_locale()))


@bp.app_template_global()
def service_labels(codes: list[str]) -> list[str]:
    terms = {term.code: term for term in load_taxonomy().services}
    return [terms[code].label(current_locale()) for code in codes if code in terms]
