"""Reports of a problem with an entry as items of the queue (services.reports decides)."""

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from directory.models import OPEN_REPORT_STATES, ReportState
from directory.moderation_items.base import Choice, Decision, Kind, QueueRow
from directory.services import reports
from directory.services.audit_log import rows as audit_rows

STATE_LABELS = {
    ReportState.OPEN: _l("Not handled yet"),
    ReportState.ASKED: _l("Provider asked"),
    ReportState.CLOSED: _l("Closed"),
}
# Filter values: "open" is the whole queue's "Waiting", so the first state goes by another.
_FILTERS = {"received": ReportState.OPEN, "asked": ReportState.ASKED, "closed": ReportState.CLOSED}


def reference(report) -> str:
    return f"S-{report.id}"


def visitors_label(count: int) -> str:
    return ngettext("%(num)d visitor", "%(num)d visitors", count)


def _rows(state: str, subkind: str) -> list[QueueRow]:
    if subkind not in ("all", "report"):
        return []
    if state == "open":
        states = list(OPEN_REPORT_STATES)
    elif state in _FILTERS:
        states = [_FILTERS[state]]
    else:
        return []
    return [
        QueueRow(
            path=KIND.path,
            item_id=report.id,
            reference=reference(report),
            name=report.provider.name,
            kind_label=f"{reports.REASONS[report.reason]} ({visitors_label(visitors)})",
            state_label=str(STATE_LABELS[report.state]),
            submitted_at=report.created_at,
            decided_at=report.decided_at,
        )
        for report, visitors in reports.listed(states)
    ]


def _context(report) -> dict:
    return {
        "report": report,
        "reference": reference(report),
        "reason": reports.REASONS[report.reason],
        "state_label": STATE_LABELS[report.state],
        "visitors": len(report.messages),
        "history": audit_rows(provider_id=report.provider_id),
    }


def _open(report) -> bool:
    return report.is_open


KIND = Kind(
    path="reports",
    label=_l("Reports"),
    template="moderation/report.html",
    subkinds=(Choice("report", _l("Reports")),),
    states=(
        Choice("received", _l("Reports not handled yet")),
        Choice("asked", _l("Provider asked")),
        Choice("closed", _l("Closed")),
    ),
    waiting_states=frozenset(("received", "asked")),
    rows=_rows,
    waiting_count=reports.waiting_count,
    load=reports.get,
    context=_context,
    decisions=(
        Decision(
            name="ask",
            label=lambda r: _l("Ask the provider to confirm or correct"),
            done=_l("The provider was asked to confirm or correct its entry."),
            act=reports.ask_provider,
            needs_message=True,
            applies=_open,
        ),
        Decision(
            name="unpublish",
            label=lambda r: _l("Take the entry offline and ask the provider"),
            done=_l("The entry is offline until its provider confirms it."),
            act=reports.unpublish,
            needs_message=True,
            applies=lambda r: r.is_open and r.provider.published,
            style="secondary",
        ),
        Decision(
            name="close",
            label=lambda r: _l("Close the report"),
            done=_l("The report was closed."),
            act=reports.close,
            needs_message=True,
            applies=_open,
            style="danger",
        ),
    ),
    message_label=_l("Message to the provider, or note when closing"),
    message_description=_l(
        "Required. Asking the provider or taking the entry offline sends it to the provider "
        "with its edit link; closing keeps it as a note for moderators."
    ),
    message_required=_l("Write a message for the provider, or a note to close the report."),
    refusals={
        reports.NoAddress: _l("This provider has left no email address: it cannot be asked."),
        reports.AlreadyOffline: _l("The entry is offline already."),
    },
)
