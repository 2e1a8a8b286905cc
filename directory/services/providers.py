"""Reading published providers, and keeping the search index in step with them."""

from collections.abc import Callable, Iterator

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from directory import search
from directory.extensions import db
from directory.models import Provider, Region

# Everything a listing, a provider page or an index document shows, loaded in a few queries.
_FULL = (
    selectinload(Provider.kind),
    selectinload(Provider.work_mode),
    selectinload(Provider.services),
    selectinload(Provider.price_models),
    selectinload(Provider.audiences),
    selectinload(Provider.languages),
    selectinload(Provider.regions).selectinload(Region.departements),
    selectinload(Provider.departements),
    selectinload(Provider.software),
)


def get_by_slug(slug: str) -> Provider | None:
    """The published provider with this slug; None if unknown or withdrawn."""
    return db.session.scalar(
        select(Provider).where(Provider.slug == slug, Provider.published).options(*_FULL)
    )


def get_many(provider_ids: list[int]) -> list[Provider]:
    """These providers, in the order of `provider_ids`; ids no longer in the database are
    skipped (the index may be a moment behind a deletion)."""
    if not provider_ids:
        return []
    rows = db.session.scalars(select(Provider).where(Provider.id.in_(provider_ids)).options(*_FULL))
    by_id = {provider.id: provider for provider in rows}
    return [by_id[i] for i in provider_ids if i in by_id]


def count() -> int:
    """Published providers."""
    return db.session.scalar(select(func.count(Provider.id)).where(Provider.published)) or 0


def iter_all(batch_size: int = 500) -> Iterator[Provider]:
    """Every published provider, by id, in batches so that memory stays flat on large tables."""
    last_id = 0
    while True:
        batch = list(
            db.session.scalars(
                select(Provider)
                .where(Provider.id > last_id, Provider.published)
                .order_by(Provider.id)
                .limit(batch_size)
                .options(*_FULL)
            )
        )
        if not batch:
            return
        yield from batch
        last_id = batch[-1].id
        db.session.expunge_all()


def reindex_all(on_progress: Callable[[int], None] | None = None) -> int:
    """Rebuilds the search index from the database; returns the number of providers indexed."""
    return search.rebuild(iter_all(), on_progress)


def ensure_search_index() -> bool:
    """Rebuilds the index if it is missing, unreadable or outdated; True if it rebuilt."""
    return search.ensure_index(iter_all)
