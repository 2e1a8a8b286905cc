"""The moderation queue: every kind of item (applications, reports, testimonials, replies),
declared once each in a module of this package (see base.Kind), listed together, oldest
first."""

from flask_babel import lazy_gettext as _l

from directory.moderation_items import applications, replies, reports, testimonials
from directory.moderation_items.base import Choice, Decision, Kind, QueueRow

KINDS: tuple[Kind, ...] = (applications.KIND, reports.KIND, testimonials.KIND, replies.KIND)
BY_PATH = {kind.path: kind for kind in KINDS}

WAITING = Choice("open", _l("Waiting"))
ALL = Choice("all", _l("All"))

__all__ = ["BY_PATH", "KINDS", "Choice", "Decision", "Kind", "QueueRow"]


def state_choices() -> list[Choice]:
    """ "Waiting", then every kind's states, each value once."""
    seen = {WAITING.value: WAITING}
    for kind in KINDS:
        for choice in kind.states:
            seen.setdefault(choice.value, choice)
    return list(seen.values())


def kind_choices() -> list[Choice]:
    return [ALL, *(choice for kind in KINDS for choice in kind.subkinds)]


def is_waiting(state: str) -> bool:
    """Whether items listed under this state filter wait for someone (the queue then shows
    how long), rather than being decided."""
    return state == WAITING.value or any(state in kind.waiting_states for kind in KINDS)


def queue(state: str = "open", subkind: str = "all") -> list[QueueRow]:
    """Items of every kind under these filters, oldest first."""
    rows = [row for kind in KINDS for row in kind.rows(state, subkind)]
    return sorted(rows, key=lambda row: (row.submitted_at, row.path, row.item_id))


def waiting_count() -> int:
    """Items waiting for a moderator, every kind together."""
    return sum(kind.waiting_count() for kind in KINDS)
