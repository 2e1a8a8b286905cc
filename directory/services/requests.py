"""One request to several providers: sending it, its private link, erasure and retention
(the answers and the association's changes: services/request_answers.py).

A request is one ServiceRequest row, one RequestRecipient per provider and its emails (to
each provider, as the contact form relays them, with two one-click answer links; a copy to
the association with its private link), all in ONE transaction through the outbox. Limits,
retention and the relay address are the contact form's (services/contact.py): one setting
each.
"""

import hmac
import secrets

from flask import current_app, url_for
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from directory.extensions import db
from directory.models import (
    Provider,
    RecipientState,
    RequestRecipient,
    ServiceRequest,
    Testimonial,
)
from directory.services import mail, sender_limits, tokens, written
from directory.services.contact import (
    Draft,
    NotReachable,
    RateLimited,
    accepts_messages,
    relay_address,
)
from directory.services.request_needs import MAX_RECIPIENTS, Need, describe
from directory.services.taxonomy import Taxonomy

ANSWERS = (RecipientState.WILL_ANSWER, RecipientState.CANNOT_HELP)


class TooMany(Exception):
    """More than MAX_RECIPIENTS providers at a time."""


def _cause(request_id: int) -> str:
    # The outbox rows of a request are found by this prefix when it is erased.
    return f"service request {request_id}:"


def send(
    provider_ids: list[int],
    draft: Draft,
    need: Need,
    client_address: str,
    taxonomy: Taxonomy,
    submission_key: str | None = None,
) -> ServiceRequest:
    """Stores the request and queues its emails in one commit; returns it. The same
    `submission_key` from the same sender gives back the request it already made. Raises
    TooMany, NotReachable (none of the providers can receive it), RateLimited (counted on
    the contact form's limits: one request is one message); nothing stored then."""
    if len(set(provider_ids)) > MAX_RECIPIENTS:
        raise TooMany
    found = [db.session.get(Provider, pid) for pid in dict.fromkeys(provider_ids)]
    chosen = [p for p in found if p is not None and accepts_messages(p)]
    if not chosen:
        raise NotReachable
    earlier = written.sent_with(ServiceRequest, submission_key)
    if earlier is not None:
        if earlier.sender_email == draft.sender_email.strip():
            return earlier
        submission_key = None  # someone else's key: never hand out their request
    # The same counters as a message to one provider: a request is one more message.
    if not sender_limits.allow("contact", "CONTACT_RATE_LIMIT", client_address, draft.sender_email):
        raise RateLimited
    try:
        request = ServiceRequest(
            reference=secrets.token_hex(16),
            sender_name=draft.sender_name.strip(),
            sender_email=draft.sender_email.strip(),
            audience_code=draft.audience_code,
            service_code=draft.service_code,
            region_code=need.region_code(taxonomy),
            need=need.as_data(),
            body=draft.body.strip(),
            locale=draft.locale,
            submission_key=submission_key,
        )
        db.session.add(request)
        db.session.flush()
        for provider in chosen:
            add_recipient(request, provider, taxonomy)
        queue_email(
            request.sender_email,
            "request_copy",
            request,
            taxonomy,
            "copy",
            providers=chosen,
            private_url=private_url(request),
        )
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        earlier = written.sent_with(ServiceRequest, submission_key)
        if earlier is None:
            raise
        return earlier
    return request


def add_recipient(request: ServiceRequest, provider: Provider, taxonomy: Taxonomy) -> None:
    recipient = RequestRecipient(reference=secrets.token_hex(16), provider_id=provider.id)
    request.recipients.append(recipient)
    db.session.flush()
    token = tokens.answer_token(recipient.id, recipient.reference)
    queue_email(
        relay_address(provider),
        "request_provider",
        request,
        taxonomy,
        f"to provider {provider.id}",
        locale=provider.locale,
        reply_to=request.sender_email,
        provider=provider,
        answer_urls={
            state: url_for("requests.answer", token=token, state=state.value, _external=True)
            for state in ANSWERS
        },
    )


def queue_email(to, template, request, taxonomy, cause, locale=None, reply_to=None, **context):
    locale = locale or request.locale
    services = {term.code: term for term in taxonomy.services}
    audiences = {term.code: term for term in taxonomy.audiences}
    mail.render_and_send(
        to,
        template,
        locale,
        cause=f"{_cause(request.id)} {cause}",
        reply_to=reply_to,
        lang=locale,
        request=request,
        service=services.get(request.service_code),
        audience=audiences.get(request.audience_code),
        need_lines=lambda: describe(Need.from_data(request.need), taxonomy, locale),
        retention_months=retention_months(),
        **context,
    )


def retention_months() -> int:
    return round(current_app.config["CONTACT_RETENTION_DAYS"] / 30.4)


def private_url(request: ServiceRequest) -> str:
    token = tokens.request_token(request.id, request.reference)
    return url_for("requests.show", token=token, _external=True)


def by_token(token: str) -> ServiceRequest | None:
    """The request of an association's private link; None for a bad link or erased request."""
    read = tokens.read_request_token(token)
    if read is None:
        return None
    request = db.session.get(ServiceRequest, read[0])
    if request is None or request.erased_at is not None:
        return None
    return request if hmac.compare_digest(request.reference, read[1]) else None


def recipient_by_token(token: str) -> RequestRecipient | None:
    """The recipient of a provider's answer link (its request may be withdrawn or erased)."""
    read = tokens.read_answer_token(token)
    if read is None:
        return None
    recipient = db.session.get(RequestRecipient, read[0])
    if recipient is None or not hmac.compare_digest(recipient.reference, read[1]):
        return None
    return recipient


def closed(request: ServiceRequest) -> bool:
    return request.withdrawn_at is not None or request.erased_at is not None


def _scrub(request: ServiceRequest, now) -> None:
    """Erases who wrote and what, and the questionnaire's answers; keeps when, which service
    and région, and the answers' states and times (the dashboard's counts). Its testimonials
    stay (their authors' public words) but no longer name it (its link no longer opens)."""
    written.scrub(request, _cause(request.id), now, need={})
    recipients = select(RequestRecipient.id).where(RequestRecipient.request_id == request.id)
    db.session.execute(
        update(Testimonial)
        .where(Testimonial.request_recipient_id.in_(recipients))
        .values(request_recipient_id=None)
    )


def erase(request_id: int) -> None:
    """The association erases its request (from its private link)."""
    written.erase(ServiceRequest, request_id, _scrub)


def purge(now=None) -> int:
    """Erases the requests sent more than CONTACT_RETENTION_DAYS ago; returns how many
    (the caller commits)."""
    return written.purge(ServiceRequest, _scrub, now)
