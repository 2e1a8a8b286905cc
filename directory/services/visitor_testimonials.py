"""Testimonials from visitors without a contact through the directory: a visitor types its
email on a provider's page, gets a link valid TESTIMONIAL_LINK_MAX_AGE at that address, and
the link opens the same testimonial form as an invitation (services.testimonial_invitations
reads it), without the "put in touch through the directory" mark.

The email is personal data: it travels in no URL (the link holds [id, random reference]),
waits in a VisitorInvitation deleted once the link has expired, and is kept on the
testimonial written through it only as long as the testimonial exists.
"""

import secrets
from datetime import timedelta

from flask import current_app, url_for
from sqlalchemy import delete

from directory.extensions import db
from directory.models import Provider, VisitorInvitation
from directory.models.provider import utcnow
from directory.services import mail, sender_limits, tokens


class RateLimited(Exception):
    """Too many links asked lately from this client address or for this email."""


class NotOpen(Exception):
    """Unknown or unpublished entry."""


def link_days() -> int:
    return current_app.config["TESTIMONIAL_LINK_MAX_AGE"] // (24 * 3600)


def ask_link(provider_id: int, email: str, locale: str, client_address: str) -> None:
    """Emails a link to leave a testimonial about this provider to `email` (lower-cased: one
    testimonial per address, however it is typed), the same whether it left one already or
    not (its link then shows it, to erase). Raises
    NotOpen, RateLimited (TESTIMONIAL_RATE_LIMIT per client address and per email)."""
    provider = db.session.get(Provider, provider_id)
    if provider is None or not provider.published:
        raise NotOpen
    if not sender_limits.allow("testimonial", "TESTIMONIAL_RATE_LIMIT", client_address, email):
        raise RateLimited
    invitation = VisitorInvitation(
        reference=secrets.token_hex(16), provider_id=provider.id, email=email.strip().lower(),
        locale=locale,
    )  # fmt: skip
    db.session.add(invitation)
    db.session.flush()
    token = tokens.visitor_testimonial_token(invitation.id, invitation.reference)
    mail.render_and_send(
        invitation.email,
        "testimonial_visitor_link",
        locale,
        cause=f"visitor invitation {invitation.id}: testimonial link",
        provider=provider,
        form_url=url_for("testimonials.write", token=token, _external=True),
        days=link_days(),
    )
    db.session.commit()


def purge(now=None) -> int:
    """Deletes the visitors' invitations whose link has expired; returns how many (the
    caller commits)."""
    now = now or utcnow()
    limit = now - timedelta(seconds=current_app.config["TESTIMONIAL_LINK_MAX_AGE"])
    return db.session.execute(
        delete(VisitorInvitation).where(VisitorInvitation.created_at < limit)
    ).rowcount
