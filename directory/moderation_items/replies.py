"""Providers' replies to testimonials as items of the queue (services.testimonials decides)."""

from flask_babel import lazy_gettext as _l

from directory.models import TestimonialState
from directory.moderation_items.base import Choice, Decision, Kind, QueueRow
from directory.moderation_items.testimonials import STATE_LABELS, states_for
from directory.services import testimonial_reads, testimonials


def _rows(state: str, subkind: str) -> list[QueueRow]:
    states = states_for(state)
    if subkind not in ("all", "reply") or states is None:
        return []
    return [
        QueueRow(
            path=KIND.path,
            item_id=testimonial.id,
            reference=f"R-{testimonial.id}",
            name=testimonial.provider.name,
            kind_label=str(_l("Reply to a testimonial")),
            state_label=str(STATE_LABELS[testimonial.reply_state]),
            submitted_at=testimonial.reply_sent_at,
            decided_at=testimonial.reply_decided_at,
        )
        for testimonial in testimonial_reads.listed(states, replies=True)
    ]


def _context(testimonial) -> dict:
    return {
        "testimonial": testimonial,
        "reference": f"R-{testimonial.id}",
        "state_label": STATE_LABELS[testimonial.reply_state],
        "reply_item": True,
    }


def _pending(testimonial) -> bool:
    return testimonial.reply_state == TestimonialState.PENDING


KIND = Kind(
    path="replies",
    label=_l("Replies"),
    template="moderation/testimonial.html",
    subkinds=(Choice("reply", _l("Replies to testimonials")),),
    states=(),
    waiting_states=frozenset(),
    rows=_rows,
    waiting_count=lambda: testimonial_reads.waiting_count(replies=True),
    load=testimonial_reads.get_reply,
    context=_context,
    decisions=(
        Decision(
            name="approve",
            label=lambda t: _l("Publish the reply"),
            done=_l("The reply is published."),
            act=testimonials.approve_reply,
            needs_message=False,
            applies=_pending,
        ),
        Decision(
            name="reject",
            label=lambda t: _l("Reject"),
            done=_l("The reply was rejected."),
            act=testimonials.reject_reply,
            needs_message=True,
            applies=_pending,
            style="danger",
        ),
    ),
    message_label=_l("Note for moderators"),
    message_description=_l("Required to reject: why it is not published. Nobody else reads it."),
    message_required=_l("Write why it is not published."),
)
