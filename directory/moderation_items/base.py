"""What every kind of item of the moderation queue declares: how to list its items, how to
show one, and the decisions a moderator can take on it. The queue, the item pages and the
decision route (views/moderation.py) only ever speak to these declarations, so that a new
kind is one module of this package plus its template."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Choice:
    """One value of a queue filter and its label."""

    value: str
    label: object  # a lazy string


@dataclass(frozen=True)
class Decision:
    """A button on an item's page. `act(item_id, moderator_id, seen_version)` is the
    service function, with the moderator's message as a fourth argument when
    `needs_message` (it raises MessageRequired when that message is empty); it checks the
    version the moderator saw and raises moderation.Conflict when someone else decided
    first."""

    name: str  # in the URL: /moderation/<kind.path>/<id>/<name>
    label: Callable[[object], object]  # the button's text for this item
    done: object  # the flash message once decided (a lazy string)
    act: Callable[..., object]
    needs_message: bool
    applies: Callable[[object], bool]  # whether the item's page offers it now
    style: str = ""  # "", "secondary" or "danger"


@dataclass(frozen=True)
class QueueRow:
    """One line of the queue, whatever its kind."""

    path: str  # the kind's path, for the item's URL
    item_id: int
    reference: str
    name: str
    kind_label: str
    state_label: str
    submitted_at: datetime
    decided_at: datetime | None


@dataclass(frozen=True)
class Kind:
    """A kind of moderation item.

    `rows(state, subkind)` lists its items for the queue's filters, oldest first: `state` is
    "open" (every state waiting for someone) or one of `states`' values, `subkind` "all" or
    one of `subkinds`' values; a value it does not declare gives no row. `waiting_count()`
    is how many wait for a moderator (the header's badge). `load(id)` gives the item or None;
    `context(item)` what its `template` needs besides `item`, `kind`, `form` and
    `decisions`. `refusals` maps the service's other errors to the message shown."""

    path: str
    label: object
    template: str
    subkinds: tuple[Choice, ...]
    states: tuple[Choice, ...]
    waiting_states: frozenset[str]
    rows: Callable[[str, str], list[QueueRow]]
    waiting_count: Callable[[], int]
    load: Callable[[int], object | None]
    context: Callable[[object], dict]
    decisions: tuple[Decision, ...]
    message_label: object
    message_description: object
    message_required: object
    refusals: dict = field(default_factory=dict)

    def decision(self, name: str) -> Decision | None:
        return next((d for d in self.decisions if d.name == name), None)

    def decisions_for(self, item) -> list[Decision]:
        return [d for d in self.decisions if d.applies(item)]
