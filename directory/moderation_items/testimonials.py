"""Testimonials of associations as items of the queue (services.testimonials decides)."""

from flask_babel import lazy_gettext as _l

from directory.models import TestimonialState
from directory.moderation_items.base import Choice, Decision, Kind, QueueRow
from directory.services import testimonial_reads, testimonials

STATE_LABELS = {
    TestimonialState.PENDING: _l("Waiting for a moderator"),
    TestimonialState.APPROVED: _l("Published"),
    TestimonialState.REJECTED: _l("Rejected"),
}
# Filter values of the whole queue that mean these states.
FILTERS = {
    "pending": TestimonialState.PENDING,
    "approved": TestimonialState.APPROVED,
    "rejected": TestimonialState.REJECTED,
}


def states_for(state: str) -> list[TestimonialState] | None:
    """The states a queue filter means for testimonials and replies; None: not theirs."""
    if state == "open":
        return [TestimonialState.PENDING]
    return [FILTERS[state]] if state in FILTERS else None


def _rows(state: str, subkind: str) -> list[QueueRow]:
    states = states_for(state)
    if subkind not in ("all", "testimonial") or states is None:
        return []
    return [
        QueueRow(
            path=KIND.path,
            item_id=testimonial.id,
            reference=f"T-{testimonial.id}",
            name=testimonial.provider.name,
            kind_label=str(_l("Testimonial")),
            state_label=str(STATE_LABELS[testimonial.state]),
            submitted_at=testimonial.created_at,
            decided_at=testimonial.decided_at,
        )
        for testimonial in testimonial_reads.listed(states)
    ]


def _context(testimonial) -> dict:
    return {
        "testimonial": testimonial,
        "reference": f"T-{testimonial.id}",
        "state_label": STATE_LABELS[testimonial.state],
        "reply_item": False,
    }


def _pending(testimonial) -> bool:
    return testimonial.state == TestimonialState.PENDING


KIND = Kind(
    path="testimonials",
    label=_l("Testimonials"),
    template="moderation/testimonial.html",
    subkinds=(Choice("testimonial", _l("Testimonials")),),
    states=(),  # the applications' "pending", "approved" and "rejected" filters apply
    waiting_states=frozenset(),
    rows=_rows,
    waiting_count=testimonial_reads.waiting_count,
    load=testimonial_reads.get,
    context=_context,
    decisions=(
        Decision(
            name="approve",
            label=lambda t: _l("Publish"),
            done=_l("The testimonial is published; its provider was told."),
            act=testimonials.approve,
            needs_message=False,
            applies=_pending,
        ),
        Decision(
            name="reject",
            label=lambda t: _l("Reject"),
            done=_l("The testimonial was rejected."),
            act=testimonials.reject,
            needs_message=True,
            applies=_pending,
            style="danger",
        ),
    ),
    message_label=_l("Note for moderators"),
    message_description=_l("Required to reject: why it is not published. Nobody else reads it."),
    message_required=_l("Write why it is not published."),
)
