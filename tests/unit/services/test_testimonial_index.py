"""Every path that changes a provider's published testimonials keeps its search document's
counts true: approval, a refusal after approval (refused), erasure by the author, and the
erasure of the provider."""

import pytest
from sqlalchemy import select

from directory import search
from directory.extensions import db
from directory.models import ContactMessage
from directory.models import Testimonial as Given
from directory.models import TestimonialState as State
from directory.search import SearchRequest
from directory.services import (
    applications,
    moderation,
    testimonial_invitations,
    testimonials,
    tokens,
)
from directory.services.moderation import Conflict
from tests.factories import add_testimonials, make_provider


def _recommended() -> list[int]:
    result = search.search(SearchRequest(filters={"recommended": frozenset({"yes"})}))
    return [hit.provider_id for hit in result.hits]


def _pending_from_a_contact(provider_id: int) -> Given:
    """A testimonial waiting for moderation, written from a contact's invitation."""
    message = ContactMessage(
        reference="r" * 32, provider_id=provider_id, audience_code="x", service_code="hosting"
    )
    db.session.add(message)
    db.session.commit()
    (testimonial,) = add_testimonials(provider_id, True, state=State.PENDING)
    testimonial.contact_message_id = message.id
    db.session.commit()
    return testimonial


@pytest.fixture
def provider_id(app):
    with app.app_context():
        provider = make_provider(public_email=None)  # no email to send on approval
        add_testimonials(provider.id, True, True)
        return provider.id


def test_approval_and_erasure_by_the_author_reindex_the_provider(app, moderator, provider_id):
    with app.test_request_context():
        pending = _pending_from_a_contact(provider_id)
        assert _recommended() == []
        testimonials.approve(pending.id, moderator, pending.version)
        assert _recommended() == [provider_id]
        message = db.session.get(ContactMessage, pending.contact_message_id)
        invitation = testimonial_invitations.by_token(
            tokens.testimonial_token(message.id, message.reference)
        )
        testimonials.erase(invitation, message.provider.slug)
        assert _recommended() == []


def test_a_published_testimonial_cannot_be_refused_afterwards(app, moderator, provider_id):
    with app.test_request_context():
        pending = _pending_from_a_contact(provider_id)
        testimonials.approve(pending.id, moderator, pending.version)
        approved = db.session.get(Given, pending.id)
        with pytest.raises(Conflict):
            testimonials.reject(approved.id, moderator, approved.version, "Trop tard.")
        db.session.rollback()
        assert db.session.get(Given, pending.id).state == State.APPROVED
        assert _recommended() == [provider_id]


def test_an_erased_provider_leaves_the_index_with_its_testimonials(app, moderator, provider_id):
    with app.test_request_context():
        add_testimonials(provider_id, True)
        assert _recommended() == [provider_id]
        removal = applications.request_removal(provider_id, "fr")
        moderation.approve(removal.id, moderator, removal.version)
        assert _recommended() == []
        assert db.session.scalars(select(Given)).all() == []
        assert search.search(SearchRequest()).count("recommended", "yes") == 0
