"""The yearly check: providers are asked to confirm or update their entry."""

from datetime import date, timedelta

from flask import current_app
from sqlalchemy import or_, select

from directory.extensions import db
from directory.models import Provider
from directory.models.provider import utcnow
from directory.services import audit, mail
from directory.services.applications import edit_url


def needs_verification(provider: Provider, today: date | None = None) -> bool:
    """True once the entry is past its yearly check plus the grace period."""
    today = today or date.today()
    config = current_app.config
    limit = timedelta(days=config["VERIFY_AFTER_DAYS"] + config["VERIFY_GRACE_DAYS"])
    return provider.last_verified_on is None or today - provider.last_verified_on > limit


def send_reminders(today: date | None = None) -> int:
    """Emails every published provider not verified for VERIFY_AFTER_DAYS and not reminded
    since; returns how many were sent. Safe to run daily from cron."""
    today = today or date.today()
    due = today - timedelta(days=current_app.config["VERIFY_AFTER_DAYS"])
    providers = db.session.scalars(
        select(Provider).where(
            Provider.published,
            Provider.contact_email.is_not(None),
            or_(Provider.last_verified_on.is_(None), Provider.last_verified_on <= due),
            Provider.reminder_sent_at.is_(None),
        )
    ).all()
    for provider in providers:
        mail.render_and_send(
            provider.contact_email,
            "reminder",
            provider.locale,
            cause=f"provider {provider.id}: reminder",
            provider=provider,
            edit_url=edit_url(provider),
        )
        provider.reminder_sent_at = utcnow()
        audit.record("reminder.sent", actor="system", provider_id=provider.id)
        db.session.commit()
    return len(providers)
