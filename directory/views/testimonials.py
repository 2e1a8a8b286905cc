"""Testimonials: the association's form from its invitation link (after a message or a
request alike, or a visitor's confirmed email), a visitor's request for such a link, the
provider's reply from its edit link, and what templates need to show them."""

import contextlib
from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _

from directory.forms.testimonial import EraseForm, ReplyForm, TestimonialForm, VisitorEmailForm
from directory.i18n import current_locale
from directory.services import (
    applications,
    providers,
    testimonial_invitations,
    testimonial_reads,
    testimonials,
    visitor_testimonials,
)
from directory.services.taxonomy import load_taxonomy

bp = Blueprint("testimonials", __name__)


@bp.route("/testimonials/<token>", methods=["GET", "POST"])
def write(token: str):
    invitation = testimonial_invitations.by_token(token) or abort(404)
    given = invitation.given()
    remaining = [p for p in invitation.providers if p.id not in given]
    if not remaining:
        return render_template(
            "testimonials/given.html", invitation=invitation, given=given, token=token
        )
    form = TestimonialForm(load_taxonomy(), remaining, current_locale(), date.today())
    if not form.is_submitted():
        form.author_name.data = invitation.sender_name
        form.month.data = f"{invitation.contacted_at:%Y-%m}"
        form.region.data = invitation.region_code or ""
    elif form.validate():
        # Posted twice at once: the first one is kept, the second finds it (and an entry
        # taken offline meanwhile is no longer offered: the page says what is left).
        with contextlib.suppress(testimonials.AlreadyDone, LookupError):
            testimonials.submit(invitation, form.draft())
        return redirect(url_for("testimonials.write", token=token))
    status = 400 if form.is_submitted() else 200
    return render_template(
        "testimonials/write.html",
        invitation=invitation,
        provider=remaining[0] if len(remaining) == 1 else None,  # else the form asks
        given=given,
        form=form,
        token=token,
    ), status


@bp.post("/testimonials/<token>/erase")
def erase(token: str):
    invitation = testimonial_invitations.by_token(token) or abort(404)
    form = EraseForm()
    if form.validate_on_submit():
        testimonials.erase(invitation, form.provider.data or "")
        flash(_("Your testimonial has been erased."), "success")
    return redirect(url_for("testimonials.write", token=token))


@bp.route("/providers/<slug>/testimonial", methods=["GET", "POST"])
def ask(slug: str):
    """A visitor without a contact through the directory: its email first, for a link."""
    provider = providers.get_by_slug(slug) or abort(404)
    form = VisitorEmailForm()
    status = 200
    if form.validate_on_submit():
        if form.nickname.data:
            # A robot filled the hidden field: thank it and send nothing.
            return redirect(url_for("testimonials.asked", slug=slug))
        try:
            visitor_testimonials.ask_link(
                provider.id, form.email.data, current_locale(), request.remote_addr or ""
            )
        except visitor_testimonials.RateLimited:
            form.form_errors.append(
                _(
                    "You have asked for several links in a short time: please wait an hour "
                    "before asking again. What you typed is kept below."
                )
            )
            status = 429
        except visitor_testimonials.NotOpen:
            abort(404)
        else:
            return redirect(url_for("testimonials.asked", slug=slug))
    elif form.is_submitted():
        status = 400
    return render_template("testimonials/ask.html", provider=provider, form=form), status


@bp.get("/providers/<slug>/testimonial/sent")
def asked(slug: str):
    provider = providers.get_by_slug(slug) or abort(404)
    days = visitor_testimonials.link_days()
    return render_template("testimonials/asked.html", provider=provider, days=days)


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
