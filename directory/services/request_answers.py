"""The answers to a request and the changes the association makes: a provider's one-click
answer, withdrawing the request, sending it to one more provider.

Two tabs or two people can do these at once: each is a conditional UPDATE whose row count
says who won, and the loser gets a domain error the view turns into a clear message.
"""

from sqlalchemy import select, update

from directory.extensions import db
from directory.models import Provider, RecipientState, RequestRecipient, ServiceRequest
from directory.models.provider import utcnow
from directory.services.contact import NotReachable, accepts_messages, relay_address
from directory.services.request_needs import MAX_RECIPIENTS
from directory.services.requests import ANSWERS, TooMany, add_recipient, closed, queue_email
from directory.services.taxonomy import Taxonomy

# The answers a provider may still give from each state: it may decline after accepting,
# never take back a decline (the association may have asked another provider already).
_NEXT = {
    RecipientState.SENT: set(ANSWERS),
    RecipientState.WILL_ANSWER: {RecipientState.CANNOT_HELP},
}


class Withdrawn(Exception):
    """The request was withdrawn or erased: nothing can change it any more."""


class Changed(Exception):
    """Someone else changed it first (another tab, another person): `state` is what it is now."""

    def __init__(self, state: RecipientState | None = None):
        super().__init__(state)
        self.state = state


def can_answer(recipient: RequestRecipient, state: RecipientState) -> bool:
    return state in _NEXT.get(recipient.state, ())


def answer(recipient_id: int, state: RecipientState, seen: RecipientState) -> bool:
    """The provider answers `state`, having seen `seen` on its confirm page. Returns False
    when it is already the answer (a link followed twice). Raises Withdrawn, Changed (the
    answer changed since `seen`, or cannot go from it to `state`)."""
    recipient = db.session.get(RequestRecipient, recipient_id)
    if closed(recipient.request):
        raise Withdrawn
    if recipient.state == state:
        return False
    if state not in _NEXT.get(seen, ()):
        raise Changed(recipient.state)
    table = RequestRecipient.__table__
    still_open = select(ServiceRequest.id).where(
        ServiceRequest.withdrawn_at.is_(None), ServiceRequest.erased_at.is_(None)
    )
    changed = db.session.execute(
        update(table)
        .where(table.c.id == recipient_id, table.c.state == seen.name)
        .where(table.c.request_id.in_(still_open))
        .values(state=state.name, answered_at=utcnow())
    ).rowcount
    db.session.commit()
    if changed == 1:
        return True
    db.session.expire_all()
    recipient = db.session.get(RequestRecipient, recipient_id)
    if closed(recipient.request):
        raise Withdrawn
    if recipient.state == state:
        return False
    raise Changed(recipient.state)


def withdraw(request_id: int, taxonomy: Taxonomy) -> bool:
    """Withdraws the request: no answer can change it any more, and the providers that
    have not declined are told. Returns False if it was withdrawn already."""
    now = utcnow()
    table = ServiceRequest.__table__
    changed = db.session.execute(
        update(table)
        .where(table.c.id == request_id, table.c.withdrawn_at.is_(None))
        .values(withdrawn_at=now)
    ).rowcount
    if changed != 1:
        db.session.rollback()
        return False
    request = db.session.get(ServiceRequest, request_id)
    for recipient in request.recipients:
        address = relay_address(recipient.provider) if recipient.provider else None
        if recipient.active and address:
            queue_email(
                address,
                "request_withdrawn",
                request,
                taxonomy,
                f"withdrawn, to provider {recipient.provider_id}",
                locale=recipient.provider.locale,
                provider=recipient.provider,
            )
    recipients = RequestRecipient.__table__
    db.session.execute(
        update(recipients)
        .where(recipients.c.request_id == request_id)
        .where(recipients.c.state == RecipientState.SENT.name)
        .values(state=RecipientState.WITHDRAWN.name)
    )
    db.session.commit()
    return True


def add_provider(request_id: int, provider_id: int, taxonomy: Taxonomy) -> None:
    """Sends the request to one more provider (in place of one that cannot help). Raises
    Withdrawn, TooMany (MAX_RECIPIENTS still active), NotReachable (unknown, unpublished,
    without address, not offering the request's service, or already asked)."""
    table = ServiceRequest.__table__
    # A write first, so that two tabs adding a provider at once count one after the other.
    locked = db.session.execute(
        update(table)
        .where(table.c.id == request_id, table.c.withdrawn_at.is_(None))
        .where(table.c.erased_at.is_(None))
        .values(withdrawn_at=None)
    ).rowcount
    if locked != 1:
        db.session.rollback()
        raise Withdrawn
    request = db.session.get(ServiceRequest, request_id)
    db.session.refresh(request, ["recipients"])
    provider = db.session.get(Provider, provider_id)
    asked = {recipient.provider_id for recipient in request.recipients}
    offers = provider is not None and request.service_code in {s.code for s in provider.services}
    if not offers or not accepts_messages(provider) or provider_id in asked:
        db.session.rollback()
        raise NotReachable
    if sum(recipient.active for recipient in request.recipients) >= MAX_RECIPIENTS:
        db.session.rollback()
        raise TooMany
    add_recipient(request, provider, taxonomy)
    db.session.commit()
