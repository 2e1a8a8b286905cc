"""Testimonials: the association's testimonial from the private link of its invitation
(services.testimonial_invitations), the provider's one reply, and the moderators' decisions
on both (reads for pages and open data are in services.testimonial_reads).

Decisions check the version the moderator saw and raise moderation.Conflict like every
decision of the queue; each is committed with its audit entry. The author's email stays
in its contact message or request (the invitation goes there); only a visitor's confirmed
email is kept on its testimonial (never shown), and goes with it.
"""

from dataclasses import dataclass

from flask import url_for
from sqlalchemy.exc import IntegrityError

from directory.extensions import db
from directory.models import Testimonial, TestimonialState
from directory.models.provider import utcnow
from directory.services import audit, index_log, indexing, mail
from directory.services.applications import edit_url
from directory.services.contact import relay_address
from directory.services.moderation import Conflict, MessageRequired, one_decision_at_a_time
from directory.services.testimonial_invitations import Invitation


class AlreadyDone(Exception):
    """This contact already gave its testimonial about this provider, or this testimonial
    already has a reply."""


@dataclass(frozen=True)
class TestimonialDraft:
    """What the association typed, already validated by the testimonial form."""

    provider_slug: str  # one of its invitation's providers
    services: list[str]
    month: str
    recommend: bool
    body: str
    author_name: str  # "" to sign anonymously, by région
    region_code: str | None
    locale: str


def submit(invitation: Invitation, draft: TestimonialDraft) -> Testimonial:
    """Stores the testimonial about the draft's provider for moderation, tied to the contact
    of its invitation (and, after a contact through the directory, its mark). Raises LookupError
    for a provider the invitation does not speak of, AlreadyDone (one per contact and
    provider, even when posted twice at once)."""
    provider = invitation.provider(draft.provider_slug)
    if provider is None:
        raise LookupError(draft.provider_slug)
    if provider.id in invitation.given():
        raise AlreadyDone
    testimonial = Testimonial(
        provider_id=provider.id,
        **invitation.origin(provider.id),
        state=TestimonialState.PENDING,
        author_name=draft.author_name.strip(),
        region_code=draft.region_code or None,
        services=list(draft.services),
        month=draft.month,
        recommend=draft.recommend,
        body=draft.body.strip(),
        locale=draft.locale,
    )
    db.session.add(testimonial)
    audit.record("testimonial.received", actor="visitor", provider_id=provider.id)
    try:
        db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        raise AlreadyDone from error
    return testimonial


def erase(invitation: Invitation, provider_slug: str) -> None:
    """The author erases its testimonial about this provider (and the provider's reply to
    it) from its link; nothing happens for a provider it left none about."""
    provider = invitation.provider(provider_slug)
    testimonial = invitation.given().get(provider.id) if provider else None
    if testimonial is not None:
        provider_id, was_public = (
            testimonial.provider_id,
            testimonial.state == TestimonialState.APPROVED,
        )
        db.session.delete(testimonial)
        audit.record("testimonial.erased", actor="visitor", provider_id=provider_id)
        if was_public:
            _commit_public_change(provider_id)
        else:
            db.session.commit()


def reply(provider_id: int, testimonial_id: int, body: str) -> Testimonial:
    """The provider's one reply to a published testimonial of its own, for moderation.
    Raises AlreadyDone, or LookupError for a testimonial not its own or not published."""
    testimonial = db.session.get(Testimonial, testimonial_id)
    if (
        testimonial is None
        or testimonial.provider_id != provider_id
        or testimonial.state != TestimonialState.APPROVED
    ):
        raise LookupError(testimonial_id)
    if testimonial.reply_state is not None:
        raise AlreadyDone
    testimonial.reply_body = body.strip()
    testimonial.reply_state = TestimonialState.PENDING
    testimonial.reply_sent_at = utcnow()
    audit.record("reply.received", actor="provider", provider_id=provider_id)
    db.session.commit()
    return testimonial


def _load(testimonial_id: int, seen_version: int) -> Testimonial:
    testimonial = db.session.get(Testimonial, testimonial_id)
    if testimonial is None or testimonial.version != seen_version:
        raise Conflict
    return testimonial


def _record(action: str, testimonial: Testimonial, moderator_id: int) -> None:
    audit.record(
        action, actor="moderator", moderator_id=moderator_id, provider_id=testimonial.provider_id
    )


def _commit_public_change(provider_id: int) -> None:
    """Commits a change of the provider's public record (its testimonials): logged in the
    index change log like any such change, so that the open data's Last-Modified moves."""
    index_log.record(upserts=[provider_id])
    db.session.commit()
    indexing.apply_committed()


@one_decision_at_a_time
def approve(testimonial_id: int, moderator_id: int, seen_version: int) -> Testimonial:
    """Publishes the testimonial and tells the provider, with its edit link to reply.
    Raises Conflict."""
    testimonial = _load(testimonial_id, seen_version)
    if testimonial.state != TestimonialState.PENDING:
        raise Conflict
    testimonial.state = TestimonialState.APPROVED
    testimonial.decided_at, testimonial.decided_by_id = utcnow(), moderator_id
    provider = testimonial.provider
    address = relay_address(provider)
    if address:
        mail.render_and_send(
            address,
            "testimonial_published",
            provider.locale,
            cause=f"testimonial {testimonial.id}: published",
            provider=provider,
            page_url=url_for("providers.show", slug=provider.slug, _external=True),
            edit_url=edit_url(provider),
        )
    _record("testimonial.approved", testimonial, moderator_id)
    _commit_public_change(testimonial.provider_id)
    return testimonial


@one_decision_at_a_time
def reject(testimonial_id: int, moderator_id: int, seen_version: int, note: str) -> Testimonial:
    """Refuses the testimonial, with a note for moderators. Raises MessageRequired or
    Conflict."""
    if not (note or "").strip():
        raise MessageRequired
    testimonial = _load(testimonial_id, seen_version)
    if testimonial.state != TestimonialState.PENDING:
        raise Conflict
    testimonial.state, testimonial.note = TestimonialState.REJECTED, note.strip()
    testimonial.decided_at, testimonial.decided_by_id = utcnow(), moderator_id
    _record("testimonial.rejected", testimonial, moderator_id)
    db.session.commit()
    return testimonial


def _decide_reply(testimonial_id, moderator_id, seen_version, state, note="") -> Testimonial:
    testimonial = _load(testimonial_id, seen_version)
    if testimonial.reply_state != TestimonialState.PENDING:
        raise Conflict
    testimonial.reply_state, testimonial.reply_decided_at = state, utcnow()
    if note:
        testimonial.note = note.strip()
    _record(f"reply.{state.value}", testimonial, moderator_id)
    _commit_public_change(testimonial.provider_id)
    return testimonial


@one_decision_at_a_time
def approve_reply(testimonial_id: int, moderator_id: int, seen_version: int) -> Testimonial:
    """Publishes the provider's reply under the testimonial. Raises Conflict."""
    return _decide_reply(testimonial_id, moderator_id, seen_version, TestimonialState.APPROVED)


@one_decision_at_a_time
def reject_reply(
    testimonial_id: int, moderator_id: int, seen_version: int, note: str
) -> Testimonial:
    """Refuses the provider's reply, with a note for moderators. Raises MessageRequired or
    Conflict."""
    if not (note or "").strip():
        raise MessageRequired
    return _decide_reply(
        testimonial_id, moderator_id, seen_version, TestimonialState.REJECTED, note
    )
