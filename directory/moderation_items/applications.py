"""Applications as items of the queue: new entries, updates and removals (the decisions are
services.moderation's, the reads services.review's)."""

from flask_babel import lazy_gettext as _l

from directory.models import OPEN_STATES, ApplicationKind, ApplicationState
from directory.moderation_items.base import Choice, Decision, Kind, QueueRow
from directory.services import duplicates, moderation, review
from directory.services.audit_log import rows as audit_rows
from directory.services.provider_data import FIELD_LABELS

KIND_LABELS = {
    ApplicationKind.NEW: _l("New entry"),
    ApplicationKind.UPDATE: _l("Update"),
    ApplicationKind.REMOVAL: _l("Removal"),
}
STATE_LABELS = {
    ApplicationState.PENDING: _l("Waiting for a moderator"),
    ApplicationState.CHANGES_REQUESTED: _l("Changes requested"),
    ApplicationState.APPROVED: _l("Approved"),
    ApplicationState.REJECTED: _l("Rejected"),
    ApplicationState.SUPERSEDED: _l("Replaced by a newer update"),
}
DUPLICATE_LABELS = {
    "name": _l("name"),
    "website": _l("website"),
    "email": _l("email address"),
    "phone": _l("phone number"),
}


def _rows(state: str, subkind: str) -> list[QueueRow]:
    if state == "open":
        states = list(OPEN_STATES)
    elif state in {s.value for s in ApplicationState}:
        states = [ApplicationState(state)]
    else:
        return []
    if subkind == "all":
        kinds = list(ApplicationKind)
    elif subkind in {k.value for k in ApplicationKind}:
        kinds = [ApplicationKind(subkind)]
    else:
        return []
    return [
        QueueRow(
            path=KIND.path,
            item_id=application.id,
            reference=application.reference,
            name=application.data.get("name", ""),
            kind_label=str(KIND_LABELS[application.kind]),
            state_label=str(STATE_LABELS[application.state]),
            submitted_at=application.submitted_at,
            decided_at=application.decided_at,
        )
        for application in review.queue(states, kinds)
    ]


def _context(application) -> dict:
    return {
        "application": application,
        "changes": review.diff(application),
        "amendments": review.amendments(application),
        "duplicates": duplicates.find(application),
        "field_labels": FIELD_LABELS,
        "duplicate_labels": DUPLICATE_LABELS,
        "history": audit_rows(provider_id=application.provider_id)
        if application.provider_id
        else [],
    }


def _removal(application) -> bool:
    return application.kind == ApplicationKind.REMOVAL


def _pending(application) -> bool:
    return application.state == ApplicationState.PENDING


KIND = Kind(
    path="items",
    label=_l("Applications"),
    template="moderation/item.html",
    subkinds=(
        Choice(ApplicationKind.NEW.value, _l("New entries")),
        Choice(ApplicationKind.UPDATE.value, _l("Updates")),
        Choice(ApplicationKind.REMOVAL.value, _l("Removals")),
    ),
    states=(
        Choice(ApplicationState.PENDING.value, _l("Pending")),
        Choice(ApplicationState.CHANGES_REQUESTED.value, _l("Changes requested")),
        Choice(ApplicationState.APPROVED.value, _l("Approved")),
        Choice(ApplicationState.REJECTED.value, _l("Rejected")),
    ),
    waiting_states=frozenset(state.value for state in OPEN_STATES),
    rows=_rows,
    waiting_count=review.pending_count,
    load=review.get,
    context=_context,
    decisions=(
        Decision(
            name="approve",
            label=lambda a: (
                _l("Confirm the removal and erase") if _removal(a) else _l("Approve and publish")
            ),
            done=_l("The application was approved."),
            act=moderation.approve,
            needs_message=False,
            applies=_pending,
        ),
        Decision(
            name="request-changes",
            label=lambda a: _l("Ask for changes"),
            done=_l("The applicant was asked for changes."),
            act=moderation.request_changes,
            needs_message=True,
            applies=lambda a: _pending(a) and not _removal(a),
            style="secondary",
        ),
        Decision(
            name="reject",
            label=lambda a: (
                _l("Refuse the removal and publish again") if _removal(a) else _l("Reject")
            ),
            done=_l("The application was rejected."),
            act=moderation.reject,
            needs_message=True,
            applies=lambda a: a.is_open,
            style="danger",
        ),
    ),
    message_label=_l("Message to the applicant"),
    message_description=_l("Required to reject or to ask for changes; the applicant reads it."),
    message_required=_l("Write a message for the applicant."),
)
