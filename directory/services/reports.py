"""Reports of a problem with an entry: sent by visitors, grouped while open, decided by
moderators (close, ask the provider, take the entry offline pending its answer).

A report's reason and its grouping are public-safe; the visitor's optional email is
personal data, deleted when the report is closed. Decisions check the version the moderator
saw and raise moderation.Conflict like every decision of the queue; each is committed with
its audit entry, and the index follows through services.indexing.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from directory.extensions import db
from directory.models import (
    OPEN_REPORT_STATES,
    Provider,
    Report,
    ReportMessage,
    ReportReason,
    ReportState,
)
from directory.models.provider import utcnow
from directory.services import audit, index_log, indexing, mail, sender_limits, written
from directory.services.applications import edit_url
from directory.services.contact import relay_address
from directory.services.moderation import (
    Conflict,
    MessageRequired,
    ModerationError,
    one_decision_at_a_time,
)

# What a visitor picks, in the order the form shows them.
REASONS = {
    ReportReason.GONE: _l("The provider no longer exists"),
    ReportReason.WRONG_INFORMATION: _l("Wrong information (phone, address, website…)"),
    ReportReason.CHARTER: _l("It does not respect the charter"),
    ReportReason.DUPLICATE: _l("Duplicate of another entry"),
    ReportReason.OTHER: _l("Other"),
}


class RateLimited(Exception):
    """Too many reports lately from this client address or this email."""


class NotReportable(Exception):
    """Unknown or unpublished entry."""


class NoAddress(ModerationError):
    """The provider left no address to ask it anything."""


class AlreadyOffline(ModerationError):
    """The entry is offline already (a removal asked for, another report): nothing to take
    down."""


@dataclass(frozen=True)
class ReportDraft:
    """What the visitor typed, already validated by the report form."""

    reason: ReportReason
    body: str
    email: str | None
    locale: str


def _group_key(provider_id: int, reason: ReportReason) -> str:
    return f"{provider_id}:{reason.value}"


def submit(
    provider_id: int, draft: ReportDraft, client_address: str, submission_key: str | None = None
) -> Report:
    """Adds the visitor's report to the open report of the same reason on this entry, or
    opens one; returns it. The same form posted twice gives back the report it made, counted
    once. Raises NotReportable, RateLimited (nothing stored)."""
    provider = db.session.get(Provider, provider_id)
    if provider is None or not provider.published:
        raise NotReportable
    earlier = written.sent_with(ReportMessage, submission_key)
    if earlier is not None:
        if earlier.report.provider_id == provider_id:
            return earlier.report
        submission_key = None  # someone else's key
    if not sender_limits.allow("report", "REPORT_RATE_LIMIT", client_address, draft.email):
        raise RateLimited
    # Two visitors reporting at once: the second insert of the group breaks its unique key;
    # the second attempt then finds the group the first one opened.
    for attempt in range(2):
        try:
            report = _add(provider, draft, submission_key)
            db.session.commit()
            return report
        except IntegrityError:
            db.session.rollback()
            earlier = written.sent_with(ReportMessage, submission_key)
            if earlier is not None:
                return earlier.report
            if attempt:
                raise
    raise AssertionError("unreachable")


def _add(provider: Provider, draft: ReportDraft, key: str | None) -> Report:
    group_key = _group_key(provider.id, draft.reason)
    report = db.session.scalars(select(Report).where(Report.group_key == group_key)).first()
    if report is None:
        report = Report(
            provider_id=provider.id,
            reason=draft.reason,
            state=ReportState.OPEN,
            group_key=group_key,
        )
        db.session.add(report)
        db.session.flush()
    db.session.add(
        ReportMessage(
            report_id=report.id,
            body=draft.body.strip(),
            email=(draft.email or "").strip() or None,
            locale=draft.locale,
            submission_key=key,
        )
    )
    audit.record("report.received", actor="visitor", provider_id=provider.id)
    return report


def purge_emails(now=None) -> int:
    """Deletes the visitors' emails of reports sent more than CONTACT_RETENTION_DAYS ago,
    even if no moderator closed them; returns how many (the caller commits)."""
    limit = (now or utcnow()) - timedelta(days=current_app.config["CONTACT_RETENTION_DAYS"])
    return db.session.execute(
        update(ReportMessage)
        .where(ReportMessage.email.is_not(None), ReportMessage.created_at < limit)
        .values(email=None)
    ).rowcount


def get(report_id: int) -> Report | None:
    return db.session.get(Report, report_id)


def count_of(report_id: int) -> int:
    """How many visitors made this report."""
    return db.session.scalar(
        select(func.count(ReportMessage.id)).where(ReportMessage.report_id == report_id)
    )


def listed(states, reasons=tuple(ReportReason)) -> list[tuple[Report, int]]:
    """Reports in these states, oldest first, each with its number of visitors (one query)."""
    counts = (
        select(ReportMessage.report_id, func.count(ReportMessage.id).label("visitors"))
        .group_by(ReportMessage.report_id)
        .subquery()
    )
    rows = db.session.execute(
        select(Report, func.coalesce(counts.c.visitors, 0))
        .outerjoin(counts, counts.c.report_id == Report.id)
        .where(Report.state.in_(list(states)), Report.reason.in_(list(reasons)))
        .options(joinedload(Report.provider))  # the queue shows each entry's name
        .order_by(Report.created_at, Report.id)
    )
    return [(report, visitors) for report, visitors in rows]


def open_count(provider_id: int | None = None) -> int:
    """Open reports (groups), on one entry or on all."""
    query = select(func.count(Report.id)).where(Report.state.in_(list(OPEN_REPORT_STATES)))
    if provider_id is not None:
        query = query.where(Report.provider_id == provider_id)
    return db.session.scalar(query)


def asked_reasons(provider_id: int) -> list:
    """The reasons (labels) of the reports its provider was asked to confirm or correct: its
    edit page says them, never who reported nor their words."""
    reasons = db.session.scalars(
        select(Report.reason)
        .where(Report.provider_id == provider_id, Report.state == ReportState.ASKED)
        .order_by(Report.created_at)
    )
    return [REASONS[reason] for reason in dict.fromkeys(reasons)]


def open_counts(provider_ids) -> dict[int, int]:
    """Open reports (groups) of each of these entries that has any, in one statement: what
    a results page shows moderators on its cards."""
    rows = db.session.execute(
        select(Report.provider_id, func.count(Report.id))
        .where(Report.state.in_(list(OPEN_REPORT_STATES)), Report.provider_id.in_(provider_ids))
        .group_by(Report.provider_id)
    )
    return {provider_id: count for provider_id, count in rows}


def waiting_count() -> int:
    """Reports no moderator has handled yet (those the provider was asked about wait for
    its answer)."""
    return db.session.scalar(select(func.count(Report.id)).where(Report.state == ReportState.OPEN))


def _load_open(report_id: int, seen_version: int, allowed=OPEN_REPORT_STATES) -> Report:
    report = db.session.get(Report, report_id)
    if report is None or report.version != seen_version or report.state not in allowed:
        raise Conflict
    return report


def _decided(report: Report, moderator_id: int, action: str, fields=()) -> None:
    report.decided_at = utcnow()
    report.decided_by_id = moderator_id
    audit.record(
        action,
        actor="moderator",
        moderator_id=moderator_id,
        provider_id=report.provider_id,
        fields=fields,
    )


@one_decision_at_a_time
def close(report_id: int, moderator_id: int, seen_version: int, note: str) -> Report:
    """Closes the report with a note for the moderators; the visitors' emails are deleted
    (they were kept only while the report was open). The entry stays as it is. Raises
    MessageRequired or Conflict."""
    if not (note or "").strip():
        raise MessageRequired
    report = _load_open(report_id, seen_version)
    report.state, report.group_key, report.note = ReportState.CLOSED, None, note.strip()
    db.session.execute(
        update(ReportMessage).where(ReportMessage.report_id == report.id).values(email=None)
    )
    _decided(report, moderator_id, "report.closed")
    db.session.commit()
    return report


def _ask(report: Report, message: str, offline: bool) -> None:
    provider = report.provider
    address = relay_address(provider)
    if address is None:
        raise NoAddress
    mail.render_and_send(
        address,
        "report_ask",
        provider.locale,
        cause=f"report {report.id}: provider asked",
        provider=provider,
        reason=REASONS[report.reason],
        message=message.strip(),
        offline=offline,
        edit_url=edit_url(provider),
    )
    report.state = ReportState.ASKED


@one_decision_at_a_time
def ask_provider(report_id: int, moderator_id: int, seen_version: int, message: str) -> Report:
    """Emails the provider (at its private address) the reason and the moderator's message
    with its edit link, to confirm or correct its entry. Raises MessageRequired, NoAddress
    or Conflict."""
    if not (message or "").strip():
        raise MessageRequired
    report = _load_open(report_id, seen_version)
    _ask(report, message, offline=False)
    _decided(report, moderator_id, "report.provider_asked")
    db.session.commit()
    return report


@one_decision_at_a_time
def unpublish(report_id: int, moderator_id: int, seen_version: int, message: str) -> Report:
    """Takes the entry offline until its provider answers, and asks it as ask_provider does.
    The entry is offline as one never verified for too long is: its edit link still opens,
    and confirming the entry there brings it back. Raises MessageRequired, NoAddress,
    AlreadyOffline or Conflict."""
    if not (message or "").strip():
        raise MessageRequired
    report = _load_open(report_id, seen_version)
    provider = report.provider
    if not provider.published:
        raise AlreadyOffline
    _ask(report, message, offline=True)
    provider.published, provider.unpublished_stale_on = False, date.today()
    _decided(report, moderator_id, "report.unpublished", fields=["published"])
    index_log.record(removals=[provider.id])
    db.session.commit()
    indexing.apply_committed()
    return report
