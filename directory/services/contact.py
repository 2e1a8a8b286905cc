"""Writing to a provider: the message relayed by email, its limits, erasure and retention.

A message is one ContactMessage row and two emails (to the provider, with the association's
address as Reply-To, and a copy to the association), all in ONE transaction through the
outbox (services/mail.py): a crash after the commit leaves both emails for `send-outbox`,
a failure before it leaves nothing. The provider's private address goes only into the
outbox row of its email, never into a page, a log or the message's row.
"""

import hmac
import secrets
from dataclasses import dataclass

from flask import current_app, url_for
from sqlalchemy.exc import IntegrityError

from directory.extensions import db
from directory.models import ContactMessage, Provider
from directory.services import mail, sender_limits, tokens, written
from directory.services.taxonomy import Taxonomy


class RateLimited(Exception):
    """Too many messages lately from this sender's email or from this client address."""


class NotReachable(Exception):
    """The provider has no address to relay a message to (or is not published)."""


@dataclass(frozen=True)
class Draft:
    """What the association typed, already validated by the contact form."""

    sender_name: str
    sender_email: str
    audience_code: str
    service_code: str
    body: str
    locale: str


def relay_address(provider: Provider) -> str | None:
    """Where the provider's messages go: its private contact email, else its public one."""
    return (provider.contact_email or "").strip() or (provider.public_email or "").strip() or None


def accepts_messages(provider: Provider) -> bool:
    return provider.published and relay_address(provider) is not None


def _cause(message_id: int) -> str:
    # The outbox rows of a message are found by this prefix when it is erased.
    return f"contact message {message_id}:"


def send(
    provider_id: int,
    draft: Draft,
    client_address: str,
    taxonomy: Taxonomy,
    submission_key: str | None = None,
) -> ContactMessage:
    """Stores the message and queues its two emails in one commit; returns the message.
    The same `submission_key` from the same sender to the same provider gives back the
    message it already made (a form posted twice, even at once): no second email (and a
    repeat that comes after the first is not counted against the limits). Raises
    NotReachable, RateLimited (nothing stored, nothing sent)."""
    provider = db.session.get(Provider, provider_id)
    if provider is None or not accepts_messages(provider):
        raise NotReachable
    earlier = written.sent_with(ContactMessage, submission_key)
    if earlier is not None:
        if (earlier.provider_id, earlier.sender_email) == (provider_id, draft.sender_email.strip()):
            return earlier
        submission_key = None  # someone else's key: never hand out their message
    if not sender_limits.allow("contact", "CONTACT_RATE_LIMIT", client_address, draft.sender_email):
        raise RateLimited
    try:
        message = _store_and_queue(provider, draft, taxonomy, submission_key)
        db.session.commit()
    except IntegrityError:
        # The same form, posted at the same moment, was stored first (its key is unique):
        # give back that one, and none of this attempt's emails.
        db.session.rollback()
        earlier = written.sent_with(ContactMessage, submission_key)
        if earlier is None:
            raise
        return earlier
    return message


def _store_and_queue(provider: Provider, draft: Draft, taxonomy: Taxonomy, key: str | None):
    """The message and its two emails, added to the session (the caller commits)."""
    message = ContactMessage(
        reference=secrets.token_hex(16),
        provider_id=provider.id,
        sender_name=draft.sender_name.strip(),
        sender_email=draft.sender_email.strip(),
        audience_code=draft.audience_code,
        service_code=draft.service_code,
        body=draft.body.strip(),
        locale=draft.locale,
        submission_key=key,
    )
    db.session.add(message)
    db.session.flush()  # its id, for the link and the outbox's cause
    terms = {
        "audience": {term.code: term for term in taxonomy.audiences}[draft.audience_code],
        "service": {term.code: term for term in taxonomy.services}[draft.service_code],
    }
    context = {"message": message, "provider": provider, **terms}
    mail.render_and_send(
        relay_address(provider),
        "contact_provider",
        provider.locale,
        cause=f"{_cause(message.id)} to the provider",
        reply_to=message.sender_email,
        lang=provider.locale,
        page_url=url_for("providers.show", slug=provider.slug, _external=True),
        **context,
    )
    mail.render_and_send(
        message.sender_email,
        "contact_copy",
        draft.locale,
        cause=f"{_cause(message.id)} copy",
        lang=draft.locale,
        erase_url=erase_url(message),
        retention_months=retention_months(),
        **context,
    )
    return message


def erase_url(message: ContactMessage) -> str:
    token = tokens.contact_token(message.id, message.reference)
    return url_for("contact.erase", token=token, _external=True)


def retention_months() -> int:
    """CONTACT_RETENTION_DAYS in months, as the privacy page counts them."""
    return round(current_app.config["CONTACT_RETENTION_DAYS"] / 30.4)


def by_token(token: str) -> ContactMessage | None:
    """The message of a sender's private link, None for a bad link or an erased message."""
    read = tokens.read_contact_token(token)
    if read is None:
        return None
    message = db.session.get(ContactMessage, read[0])
    if message is None or message.erased_at is not None:
        return None
    return message if hmac.compare_digest(message.reference, read[1]) else None


def _scrub(message: ContactMessage, now) -> None:
    """Erases what the sender wrote and who they are; keeps when, to whom and which
    service (the dashboard's counts)."""
    written.scrub(message, _cause(message.id), now)


def erase(message_id: int) -> None:
    """The sender erases its message (from the link of its copy)."""
    written.erase(ContactMessage, message_id, _scrub)


def purge(now=None) -> int:
    """Erases the messages sent more than CONTACT_RETENTION_DAYS ago; returns how many
    (the caller commits)."""
    return written.purge(ContactMessage, _scrub, now)
