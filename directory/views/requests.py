"""One request to several providers: the form, the association's private page and the
providers' one-click answers (a confirm page, then a POST: mail scanners follow links)."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from directory import search
from directory.forms.moderation import ActionForm
from directory.forms.requests import RequestForm
from directory.i18n import current_locale
from directory.models import RecipientState
from directory.services import contact, providers, request_answers, request_needs, requests
from directory.services.taxonomy import load_taxonomy
from directory.views.access import form_rate_limit

bp = Blueprint("requests", __name__)


def _chosen(slugs) -> list:
    """The providers of these slugs that can receive a request, once each, in order."""
    chosen = []
    for slug in dict.fromkeys(s for s in slugs[:50] if isinstance(s, str) and len(s) <= 200):
        provider = providers.get_by_slug(slug)
        if provider is not None and contact.accepts_messages(provider):
            chosen.append(provider)
    return chosen


@bp.route("/requests/new", methods=["GET", "POST"])
@form_rate_limit("CONTACT_FORM_RATE_LIMIT")
def new():
    taxonomy = load_taxonomy()
    need = request_needs.read_need(request.args, taxonomy)
    chosen = _chosen(request.args.getlist("provider"))
    removed = request.form.get("remove") if request.method == "POST" else None
    chosen = [provider for provider in chosen if provider.slug != removed]
    too_many = len(chosen) > request_needs.MAX_RECIPIENTS
    chosen = chosen[: request_needs.MAX_RECIPIENTS]
    form = RequestForm(taxonomy, current_locale(), requests.retention_months())
    if not form.is_submitted():
        form.service.data = request_needs.wanted_service(need, taxonomy) or form.service.data
    status = 200
    if removed is not None or not chosen:
        status = 400 if form.is_submitted() and removed is None else 200
    elif form.validate_on_submit() and not too_many:
        if form.nickname.data:
            return redirect(url_for("requests.sent"))  # a robot: thank it, keep nothing
        try:
            requests.send(
                [provider.id for provider in chosen],
                form.draft(),
                need,
                request.remote_addr or "",
                taxonomy,
                submission_key=form.submission(),
            )
        except contact.RateLimited:
            form.refuse_as_too_frequent()
            status = 429
        except (contact.NotReachable, requests.TooMany):
            abort(404)
        else:
            return redirect(url_for("requests.sent"))
    elif form.is_submitted():
        status = 400
    if too_many:
        form.form_errors.append(
            _(
                "A request goes to %(max)d providers at most: the first %(max)d you chose "
                "are kept below, remove one to choose another.",
                max=request_needs.MAX_RECIPIENTS,
            )
        )
        status = 400 if form.is_submitted() else 200
    action = url_for("requests.new", provider=[p.slug for p in chosen], **need.as_query())
    return render_template(
        "requests/new.html",
        form=form,
        chosen=chosen,
        too_many=too_many,
        need_lines=request_needs.describe(need, taxonomy, current_locale()),
        action=action,
    ), status


@bp.get("/requests/sent")
def sent():
    return render_template("requests/sent.html")


def _request_or_404(token: str):
    found = requests.by_token(token)
    if found is None:
        abort(404)
    return found


def _alternatives(found) -> list:
    """Other providers for the same service (and région), when one declined and a place is
    free: none while the index is unavailable."""
    if requests.closed(found):
        return []
    recipients = found.recipients
    declined = any(r.state == RecipientState.CANNOT_HELP for r in recipients)
    if not declined or sum(r.active for r in recipients) >= request_needs.MAX_RECIPIENTS:
        return []
    asked = {r.provider_id for r in recipients}
    try:
        ids = request_needs.matching_providers(
            found.service_code, found.region_code, current_locale(), asked
        )
    except search.IndexUnavailable:
        return []
    return [p for p in providers.get_many(ids) if contact.accepts_messages(p)]


@bp.get("/requests/<token>")
def show(token: str):
    found = _request_or_404(token)
    taxonomy = load_taxonomy()
    need = request_needs.Need.from_data(found.need)
    return render_template(
        "requests/show.html",
        found=found,
        form=ActionForm(),
        need_lines=request_needs.describe(need, taxonomy, current_locale()),
        service={t.code: t for t in taxonomy.services}.get(found.service_code),
        alternatives=_alternatives(found),
        token=token,
    )


@bp.post("/requests/<token>/withdraw")
def withdraw(token: str):
    found = _request_or_404(token)
    if ActionForm().validate_on_submit():
        if request_answers.withdraw(found.id, load_taxonomy()):
            flash(_("Your request is withdrawn; the providers have been told."), "success")
        else:
            flash(_("This request was already withdrawn."), "info")
    return redirect(url_for("requests.show", token=token))


@bp.post("/requests/<token>/add")
def add(token: str):
    found = _request_or_404(token)
    provider = providers.get_by_slug(str(request.form.get("provider", ""))[:200])
    if not ActionForm().validate_on_submit() or provider is None:
        return redirect(url_for("requests.show", token=token))
    try:
        request_answers.add_provider(found.id, provider.id, load_taxonomy())
    except request_answers.Withdrawn:
        flash(_("This request is withdrawn: it cannot go to another provider."), "error")
    except requests.TooMany:
        flash(_("Your request already went to three providers waiting to answer."), "error")
    except contact.NotReachable:
        flash(_("This provider cannot receive your request."), "error")
    else:
        flash(_("Your request is on its way to %(name)s.", name=provider.name), "success")
    return redirect(url_for("requests.show", token=token))


@bp.route("/requests/<token>/erase", methods=["GET", "POST"])
def erase(token: str):
    found = requests.by_token(token)
    if found is None:
        return render_template("contact/erased.html"), 404
    form = ActionForm()
    if form.validate_on_submit():
        requests.erase(found.id)
        flash(_("Your request and your address have been erased."), "success")
        return redirect(url_for("search.home"))
    return render_template("requests/erase.html", found=found, form=form, token=token)


@bp.route("/requests/answer/<token>/<state>", methods=["GET", "POST"])
def answer(token: str, state: str):
    recipient = requests.recipient_by_token(token)
    if recipient is None or state not in {s.value for s in requests.ANSWERS}:
        abort(404)
    wanted = RecipientState(state)
    form = ActionForm()
    outcome, status = None, 200
    if requests.closed(recipient.request):
        outcome = "withdrawn"
    elif form.validate_on_submit():
        seen = request.form.get("seen", "")
        try:
            seen_state = RecipientState(seen) if seen in {s.value for s in RecipientState} else None
            changed = request_answers.answer(recipient.id, wanted, seen_state)
        except request_answers.Withdrawn:
            outcome = "withdrawn"
        except request_answers.Changed:
            outcome, status = "changed", 409
        else:
            outcome = "recorded" if changed else "already"
        recipient = requests.recipient_by_token(token)
    elif recipient.state == wanted:
        outcome = "already"
    elif not request_answers.can_answer(recipient, wanted):
        outcome = "final"
    return render_template(
        "requests/answer.html",
        recipient=recipient,
        service={t.code: t for t in load_taxonomy().services}.get(recipient.request.service_code),
        wanted=wanted,
        outcome=outcome,
        form=form,
    ), status
