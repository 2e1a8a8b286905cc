"""Signed, unguessable links: the applicant's status link, the provider's edit link, the
link of a contact message's sender and its invitation to leave a testimonial, and the links
of a request sent to several providers and its own invitation to leave testimonials, and a
visitor's link to leave one."""

import base64
import hashlib
import hmac

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeSerializer, URLSafeTimedSerializer

STATUS_SALT = "application-status"
EDIT_SALT = "provider-edit"
CONTACT_SALT = "contact-message"
REQUEST_SALT = "service-request"
ANSWER_SALT = "request-answer"
TESTIMONIAL_SALT = "testimonial-invitation"
REQUEST_TESTIMONIAL_SALT = "request-testimonial-invitation"
VISITOR_TESTIMONIAL_SALT = "visitor-testimonial-invitation"


def _serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def _lasting_pair_token(salt: str, item_id: int, reference: str) -> str:
    """[id, random reference] signed, without expiry: the same link every time."""
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=salt).dumps(
        [item_id, reference]
    )


def _read_lasting_pair(salt: str, token: str) -> tuple[int, str] | None:
    try:
        item_id, reference = URLSafeSerializer(current_app.config["SECRET_KEY"], salt=salt).loads(
            token
        )
    except (BadSignature, ValueError, TypeError):
        return None
    return int(item_id), str(reference)


def status_token(application_id: int, reference: str) -> str:
    """The same link every time, so that every email and page shows one address."""
    return _lasting_pair_token(STATUS_SALT, application_id, reference)


def read_status_token(token: str) -> tuple[int, str] | None:
    """(application id, reference), or None for a forged or damaged token. Status links
    do not expire: the applicant may come back months later to read a decision."""
    return _read_lasting_pair(STATUS_SALT, token)


def contact_token(message_id: int, reference: str) -> str:
    """The sender's private link to its message (to erase it): [id, random reference]."""
    return _lasting_pair_token(CONTACT_SALT, message_id, reference)


def read_contact_token(token: str) -> tuple[int, str] | None:
    """(message id, reference), or None for a forged or damaged token. No expiry: the
    message is erased by retention anyway, and the link must work until then."""
    return _read_lasting_pair(CONTACT_SALT, token)


def request_token(request_id: int, reference: str) -> str:
    """The association's private link to its request: [id, random reference]."""
    return _lasting_pair_token(REQUEST_SALT, request_id, reference)


def read_request_token(token: str) -> tuple[int, str] | None:
    """(request id, reference), or None; no expiry, as for contact messages."""
    return _read_lasting_pair(REQUEST_SALT, token)


def answer_token(recipient_id: int, reference: str) -> str:
    """A provider's link to answer one request: [recipient id, random reference]."""
    return _lasting_pair_token(ANSWER_SALT, recipient_id, reference)


def read_answer_token(token: str) -> tuple[int, str] | None:
    """(recipient id, reference), or None for a forged or damaged token."""
    return _read_lasting_pair(ANSWER_SALT, token)


def testimonial_token(message_id: int, reference: str) -> str:
    """The private link of a testimonial invitation, made from the contact message it follows
    (another salt than the message's own link: one never opens the other)."""
    return _lasting_pair_token(TESTIMONIAL_SALT, message_id, reference)


def read_testimonial_token(token: str) -> tuple[int, str] | None:
    """(message id, reference), or None for a forged or damaged token."""
    return _read_lasting_pair(TESTIMONIAL_SALT, token)


def request_testimonial_token(request_id: int, reference: str) -> str:
    """The private link of a testimonial invitation after a request, made from the request
    (its own salt: neither the request's private link nor a contact's invitation opens it)."""
    return _lasting_pair_token(REQUEST_TESTIMONIAL_SALT, request_id, reference)


def read_request_testimonial_token(token: str) -> tuple[int, str] | None:
    """(request id, reference), or None for a forged or damaged token."""
    return _read_lasting_pair(REQUEST_TESTIMONIAL_SALT, token)


def visitor_testimonial_token(invitation_id: int, reference: str) -> str:
    """The link a visitor gets to confirm its email and write a testimonial: [id, random
    reference], signed and timed (the email stays in the database, never in the URL)."""
    return _serializer(VISITOR_TESTIMONIAL_SALT).dumps([invitation_id, reference])


def read_visitor_testimonial_token(token: str) -> tuple[int, str] | None:
    """(invitation id, reference) for a valid link younger than TESTIMONIAL_LINK_MAX_AGE,
    else None."""
    try:
        invitation_id, reference = _serializer(VISITOR_TESTIMONIAL_SALT).loads(
            token, max_age=current_app.config["TESTIMONIAL_LINK_MAX_AGE"]
        )
    except (SignatureExpired, BadSignature, ValueError, TypeError):
        return None
    return int(invitation_id), str(reference)


def _email_mark(contact_email: str) -> str:
    """A keyed digest of the contact email (16 characters): the same email gives the same
    mark, and the mark tells nothing of the email to whoever reads a URL in a log."""
    digest = hmac.new(
        current_app.config["SECRET_KEY"].encode(),
        b"edit-link-email:" + contact_email.strip().casefold().encode(),
        hashlib.sha256,
    ).digest()
    return base64.urlsafe_b64encode(digest[:12]).decode()


def edit_token(provider_id: int, contact_email: str) -> str:
    """[provider id, mark of the contact email], signed and timed: no email in the URL.
    (Links made before the mark, which carried the email itself, no longer open.)"""
    return _serializer(EDIT_SALT).dumps([provider_id, _email_mark(contact_email)])


def read_edit_token(token: str) -> tuple[int, str] | None:
    """(provider id, mark of the contact email) for a valid link younger than
    EDIT_LINK_MAX_AGE; the mark lets a change of contact email invalidate older links
    (check it with names_email)."""
    try:
        provider_id, mark = _serializer(EDIT_SALT).loads(
            token, max_age=current_app.config["EDIT_LINK_MAX_AGE"]
        )
    except (SignatureExpired, BadSignature, ValueError, TypeError):
        return None
    return int(provider_id), str(mark)


def names_email(mark: str, contact_email: str) -> bool:
    """True if `mark` (from read_edit_token) was made from this contact email."""
    return hmac.compare_digest(mark, _email_mark(contact_email))
