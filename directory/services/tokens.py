"""Signed, unguessable links: the applicant's status link and the provider's edit link."""

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeSerializer, URLSafeTimedSerializer

STATUS_SALT = "application-status"
EDIT_SALT = "provider-edit"


def _serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def status_token(application_id: int, reference: str) -> str:
    """The same link every time, so that every email and page shows one address."""
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=STATUS_SALT).dumps(
        [application_id, reference]
    )


def read_status_token(token: str) -> tuple[int, str] | None:
    """(application id, reference), or None for a forged or damaged token. Status links
    do not expire: the applicant may come back months later to read a decision."""
    try:
        application_id, reference = URLSafeSerializer(
            current_app.config["SECRET_KEY"], salt=STATUS_SALT
        ).loads(token)
    except (BadSignature, ValueError, TypeError):
        return None
    return int(application_id), str(reference)


def edit_token(provider_id: int, contact_email: str) -> str:
    return _serializer(EDIT_SALT).dumps([provider_id, contact_email.casefold()])


def read_edit_token(token: str) -> tuple[int, str] | None:
    """(provider id, contact email) for a valid link younger than EDIT_LINK_MAX_AGE; the
    email inside lets a change of contact email invalidate older links."""
    try:
        provider_id, email = _serializer(EDIT_SALT).loads(
            token, max_age=current_app.config["EDIT_LINK_MAX_AGE"]
        )
    except (SignatureExpired, BadSignature, ValueError, TypeError):
        return None
    return int(provider_id), str(email)
