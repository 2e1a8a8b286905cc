"""Invitations to leave a testimonial: who was put in touch with which providers through the
directory (a message to one provider, or a request whose providers said "we will answer"),
or which visitor confirmed its email to speak of a provider; the daily job that emails the
first two, and the invitation behind a private link.

An Invitation is the one shape the testimonial form, its views and services.testimonials
work with, whatever the contact it follows: they never ask where it came from.
"""

import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app, url_for
from sqlalchemy import and_, exists, or_, select

from directory.extensions import db
from directory.models import (
    ContactMessage,
    Provider,
    RecipientState,
    RequestRecipient,
    ServiceRequest,
    Testimonial,
    VisitorInvitation,
)
from directory.models.provider import utcnow
from directory.services import mail, tokens


@dataclass(frozen=True)
class Invitation:
    """A contact that may lead to testimonials: the sender's name, locale and région (to
    fill the form in), when it wrote, the providers it may speak of, and for each provider
    the testimonial columns and values that tie a testimonial to this contact (one
    testimonial per contact and provider). A contact through the directory gives testimonials
    its mark (`via_directory`); a visitor's confirmed email does not. `kind` ("contact",
    "request" or "visitor") only picks the words of its pages."""

    kind: str
    sender_name: str
    locale: str
    region_code: str | None
    contacted_at: datetime
    providers: tuple[Provider, ...]
    ties: dict[int, dict]  # provider id -> {testimonial column: its value}
    via_directory: bool = True

    def origin(self, provider_id: int) -> dict:
        """The columns a testimonial about this provider gets from this invitation."""
        return {**self.ties[provider_id], "via_directory": self.via_directory}

    def given(self) -> dict[int, Testimonial]:
        """The testimonials already left from this invitation, by provider id."""
        ties = [
            and_(Testimonial.provider_id == provider_id,
                 *(getattr(Testimonial, column) == value for column, value in tie.items()))
            for provider_id, tie in self.ties.items()
        ]  # fmt: skip
        found = db.session.scalars(select(Testimonial).where(or_(*ties)))
        return {testimonial.provider_id: testimonial for testimonial in found}

    def provider(self, slug: str) -> Provider | None:
        return next((p for p in self.providers if p.slug == slug), None)


def _of_contact(message: ContactMessage) -> Invitation | None:
    provider = message.provider
    if message.erased_at is not None or provider is None or not provider.published:
        return None
    return Invitation(
        kind="contact",
        sender_name=message.sender_name,
        locale=message.locale,
        region_code=None,
        contacted_at=message.created_at,
        providers=(provider,),
        ties={provider.id: {"contact_message_id": message.id}},
    )


def _of_request(request: ServiceRequest) -> Invitation | None:
    """The request's published providers that said "we will answer", and those a
    testimonial was already left about (its author may still read and erase it)."""
    if request.erased_at is not None:
        return None
    ids = [recipient.id for recipient in request.recipients]
    spoken_of = set(
        db.session.scalars(
            select(Testimonial.request_recipient_id).where(
                Testimonial.request_recipient_id.in_(ids)
            )
        )
    )
    chosen = [
        recipient
        for recipient in request.recipients
        if recipient.provider is not None
        and recipient.provider.published
        and (recipient.state == RecipientState.WILL_ANSWER or recipient.id in spoken_of)
    ]
    if not chosen:
        return None
    return Invitation(
        kind="request",
        sender_name=request.sender_name,
        locale=request.locale,
        region_code=request.region_code,
        contacted_at=request.created_at,
        providers=tuple(recipient.provider for recipient in chosen),
        ties={r.provider_id: {"request_recipient_id": r.id} for r in chosen},
    )


def _of_visitor(invitation: VisitorInvitation) -> Invitation | None:
    provider = invitation.provider
    if not provider.published:
        return None
    return Invitation(
        kind="visitor",
        sender_name="",
        locale=invitation.locale,
        region_code=None,
        contacted_at=utcnow(),
        providers=(provider,),
        ties={provider.id: {"author_email": invitation.email}},
        via_directory=False,
    )


# Each kind of private link: how to read it, the row it names, the invitation of that row.
_LINKS = (
    (tokens.read_testimonial_token, ContactMessage, _of_contact),
    (tokens.read_request_testimonial_token, ServiceRequest, _of_request),
    (tokens.read_visitor_testimonial_token, VisitorInvitation, _of_visitor),
)


def by_token(token: str) -> Invitation | None:
    """The invitation of a private link (each kind has its own salt); None for a bad or
    expired link, an erased message or request, or no provider left to speak of (entries
    offline)."""
    for read_token, model, invitation_of in _LINKS:
        read = read_token(token)
        if read is not None:
            row = db.session.get(model, read[0])
            if row is None or not hmac.compare_digest(row.reference, read[1]):
                return None
            return invitation_of(row)
    return None


def contact_url(message: ContactMessage) -> str:
    token = tokens.testimonial_token(message.id, message.reference)
    return url_for("testimonials.write", token=token, _external=True)


def request_url(request: ServiceRequest) -> str:
    token = tokens.request_testimonial_token(request.id, request.reference)
    return url_for("testimonials.write", token=token, _external=True)


def invite_due(now=None) -> int:
    """Invites, TESTIMONIAL_DELAY_DAYS after they wrote, the senders of messages (to a
    provider still published) and of requests (neither withdrawn nor erased, with a
    published provider that said "we will answer"; the email names those), once each:
    every invitation is committed with its mark, so a second run sends none twice. Returns
    how many were sent."""
    now = now or utcnow()
    due = now - timedelta(days=current_app.config["TESTIMONIAL_DELAY_DAYS"])
    messages = db.session.scalars(
        select(ContactMessage)
        .join(Provider, Provider.id == ContactMessage.provider_id)
        .where(
            ContactMessage.testimonial_invited_at.is_(None),
            ContactMessage.erased_at.is_(None),
            ContactMessage.created_at <= due,
            Provider.published,
        )
        .order_by(ContactMessage.id)
    ).all()
    for message in messages:
        mail.render_and_send(
            message.sender_email,
            "testimonial_invitation",
            message.locale,
            cause=f"contact message {message.id}: testimonial invitation",
            message=message,
            provider=message.provider,
            form_url=contact_url(message),
        )
        message.testimonial_invited_at = now
    answered = (
        select(RequestRecipient.id)
        .join(Provider, Provider.id == RequestRecipient.provider_id)
        .where(
            RequestRecipient.request_id == ServiceRequest.id,
            RequestRecipient.state == RecipientState.WILL_ANSWER,
            Provider.published,
        )
    )
    requests = db.session.scalars(
        select(ServiceRequest)
        .where(
            ServiceRequest.testimonial_invited_at.is_(None),
            ServiceRequest.erased_at.is_(None),
            ServiceRequest.withdrawn_at.is_(None),
            ServiceRequest.created_at <= due,
            exists(answered),
        )
        .order_by(ServiceRequest.id)
    ).all()
    for request in requests:
        mail.render_and_send(
            request.sender_email,
            "testimonial_request_invitation",
            request.locale,
            # The request's prefix: its erasure takes the email out of the outbox too.
            cause=f"service request {request.id}: testimonial invitation",
            providers=_of_request(request).providers,
            form_url=request_url(request),
        )
        request.testimonial_invited_at = now
    db.session.commit()
    return len(messages) + len(requests)
