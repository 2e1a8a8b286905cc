"""The freshness policy: a reminder a year after the last verification, a second one a month
later, a "to be verified" badge after the grace period, and the entry taken offline after a
longer period (with an email saying how to come back). Each step is in the audit log."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask import current_app
from sqlalchemy import or_, select

from directory.extensions import db
from directory.models import Provider
from directory.models.provider import utcnow
from directory.services import audit, freshness, index_log, indexing, mail
from directory.services.applications import edit_url


@dataclass(frozen=True)
class FreshnessReport:
    first_reminders: int
    second_reminders: int
    unpublished: int


def needs_verification(provider: Provider, today: date | None = None) -> bool:
    """True once the entry is past its yearly check plus the grace period."""
    return freshness.needs_verification(provider.last_verified_on, today)


def _unverified_since(day: date):
    return or_(Provider.last_verified_on.is_(None), Provider.last_verified_on <= day)


def _remind(provider: Provider, second: bool) -> None:
    mail.render_and_send(
        provider.contact_email,
        "reminder",
        provider.locale,
        provider=provider,
        cause=f"provider {provider.id}: {'second ' if second else ''}reminder",
        edit_url=edit_url(provider),
        second=second,
    )
    provider.reminder_sent_at = utcnow()
    provider.reminders_sent += 1
    audit.record(
        "reminder.resent" if second else "reminder.sent", actor="system", provider_id=provider.id
    )
    db.session.commit()


def _due_reminders(today: date) -> tuple[list[Provider], list[Provider]]:
    """Published providers with a contact, not verified for VERIFY_AFTER_DAYS: those never
    reminded since, and those reminded once VERIFY_SECOND_REMINDER_DAYS ago or more."""
    config = current_app.config
    due = today - timedelta(days=config["VERIFY_AFTER_DAYS"])
    listed = (Provider.published, Provider.contact_email.is_not(None), _unverified_since(due))
    first = db.session.scalars(select(Provider).where(*listed, Provider.reminders_sent == 0))
    reminded_by = datetime.combine(
        today - timedelta(days=config["VERIFY_SECOND_REMINDER_DAYS"]), time.max
    )
    second = db.session.scalars(
        select(Provider).where(
            *listed, Provider.reminders_sent == 1, Provider.reminder_sent_at <= reminded_by
        )
    )
    return list(first), list(second)


def send_reminders(today: date | None = None) -> int:
    """Emails every published provider not verified for VERIFY_AFTER_DAYS and not reminded
    since, and once more those reminded VERIFY_SECOND_REMINDER_DAYS ago without an answer;
    returns how many were sent. Safe to run daily from cron."""
    return sum(_send_reminders(today or date.today()))


def _send_reminders(today: date) -> tuple[int, int]:
    first, second = _due_reminders(today)
    for provider in first:
        _remind(provider, second=False)
    for provider in second:
        _remind(provider, second=True)
    return len(first), len(second)


def unpublish_stale(today: date | None = None) -> int:
    """Takes offline every published entry not verified for FRESHNESS_UNPUBLISH_DAYS and
    emails its provider how to bring it back (confirming it through the edit link); returns
    how many. Safe to run daily from cron."""
    today = today or date.today()
    limit = today - timedelta(days=current_app.config["FRESHNESS_UNPUBLISH_DAYS"])
    stale = db.session.scalars(
        select(Provider).where(Provider.published, _unverified_since(limit))
    ).all()
    for provider in stale:
        provider.published, provider.unpublished_stale_on = False, today
        audit.record(
            "entry.unpublished_stale", actor="system", provider_id=provider.id, fields=["published"]
        )
        index_log.record(removals=[provider.id])
        # Queued before the commit, so that the email and the change are kept together.
        if provider.contact_email:
            mail.render_and_send(
                provider.contact_email,
                "unpublished_stale",
                provider.locale,
                cause=f"provider {provider.id}: unpublished, not verified",
                provider=provider,
                edit_url=edit_url(provider),
            )
        db.session.commit()
        indexing.apply_committed()
    return len(stale)


def run(today: date | None = None) -> FreshnessReport:
    """Every step of the policy due today: entries past the unpublishing period go offline
    first (they get that email, not a reminder), then the reminders."""
    today = today or date.today()
    unpublished = unpublish_stale(today)
    first, second = _send_reminders(today)
    return FreshnessReport(first, second, unpublished)
