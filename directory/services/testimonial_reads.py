"""What pages, the queue and open data read of testimonials (writes: services.testimonials)."""

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from directory.extensions import db
from directory.models import Testimonial, TestimonialState
from directory.models.recommendations import Recommendations
from directory.services.public_data import iso_date


@dataclass(frozen=True)
class PublishedTestimonials:
    """A provider's published testimonials, newest first, and how many recommend it (below
    models.recommendations.MIN_FOR_A_COUNT, a page shows no "N of M recommend" figure: one or
    two opinions are not a trend; each still says whether it recommends)."""

    items: list[Testimonial]
    recommending: int

    @property
    def recommendations(self) -> Recommendations:
        return Recommendations(len(self.items), self.recommending)

    @property
    def shows_count(self) -> bool:
        return self.recommendations.shows_count


def _published():
    return select(Testimonial).where(Testimonial.state == TestimonialState.APPROVED)


def published(provider_id: int) -> PublishedTestimonials:
    items = list(
        db.session.scalars(
            _published()
            .where(Testimonial.provider_id == provider_id)
            .order_by(Testimonial.month.desc(), Testimonial.created_at.desc(), Testimonial.id)
        )
    )
    return PublishedTestimonials(items, sum(1 for t in items if t.recommend))


def public_record(testimonial: Testimonial) -> dict:
    """A published testimonial as open data: never its author's email."""
    reply = testimonial.reply_state == TestimonialState.APPROVED
    return {
        "text": testimonial.body,
        "date": iso_date(testimonial.decided_at.date() if testimonial.decided_at else None),
        "month": testimonial.month,
        "recommend": testimonial.recommend,
        "via_directory": testimonial.via_directory,
        "author": testimonial.author_name or None,
        "region": None if testimonial.author_name else testimonial.region_code,
        "services": list(testimonial.services),
        "reply": testimonial.reply_body if reply else None,
    }


def records_of(provider_id: int) -> list[dict]:
    return [public_record(t) for t in published(provider_id).items]


def records_by_provider() -> dict[int, list[dict]]:
    """Every published testimonial's record by provider id, newest first, in one query."""
    found = defaultdict(list)
    for testimonial in db.session.scalars(
        _published().order_by(Testimonial.month.desc(), Testimonial.created_at.desc())
    ):
        found[testimonial.provider_id].append(public_record(testimonial))
    return found


def last_change(provider_id: int):
    """When a testimonial or a reply of this provider was last published (or unpublished by
    the entry's own change), None if never: part of its public record's Last-Modified."""
    return db.session.scalar(
        select(func.max(func.coalesce(Testimonial.reply_decided_at, Testimonial.decided_at))).where(
            Testimonial.provider_id == provider_id, Testimonial.state == TestimonialState.APPROVED
        )
    )


def listed(states, replies: bool = False) -> list[Testimonial]:
    """Testimonials (or, with `replies`, testimonials whose reply is) in these states,
    oldest first."""
    column = Testimonial.reply_state if replies else Testimonial.state
    order = Testimonial.reply_sent_at if replies else Testimonial.created_at
    return list(
        db.session.scalars(
            select(Testimonial)
            .where(column.in_(list(states)))
            .options(joinedload(Testimonial.provider))  # the queue shows each entry's name
            .order_by(order, Testimonial.id)
        )
    )


def waiting_count(replies: bool = False) -> int:
    column = Testimonial.reply_state if replies else Testimonial.state
    return db.session.scalar(
        select(func.count(Testimonial.id)).where(column == TestimonialState.PENDING)
    )


def get(testimonial_id: int) -> Testimonial | None:
    return db.session.get(Testimonial, testimonial_id)


def get_reply(testimonial_id: int) -> Testimonial | None:
    """The testimonial as a reply item: only once its provider replied."""
    testimonial = db.session.get(Testimonial, testimonial_id)
    return testimonial if testimonial is not None and testimonial.reply_state else None
