"""Reading published providers, one at a time, by page of search results or all of them."""

from collections.abc import Iterator
from dataclasses import dataclass, replace

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from directory import search
from directory.extensions import db
from directory.models import Provider, Region
from directory.services import cards, freshness, indexing, vocabulary
from directory.services.taxonomy import load_taxonomy

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
    selectinload(Provider.published_testimonials),  # trust badges, the search's "recommended"
)


def get_by_slug(slug: str) -> Provider | None:
    """The published provider with this slug; None if unknown or withdrawn."""
    if "\x00" in slug:  # PostgreSQL refuses NUL in any text, even to compare it
        return None
    return db.session.scalar(
        select(Provider).where(Provider.slug == slug, Provider.published).options(*_FULL)
    )


def card_by_slug(slug: str) -> cards.Card | None:
    """The published provider with this slug as a read-only card, what its public page
    shows (three statements, against twelve for the model with every relationship)."""
    if "\x00" in slug:  # as get_by_slug
        return None
    found = select(Provider.id).where(Provider.slug == slug, Provider.published)
    provider_id = db.session.scalar(found)
    return cards.load([provider_id]).get(provider_id) if provider_id is not None else None


def has_published_logo(name: str) -> bool:
    """Whether a published provider shows the stored logo `name`."""
    found = select(Provider.id).where(Provider.logo_filename == name, Provider.published)
    return db.session.scalar(found.limit(1)) is not None


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


@dataclass(frozen=True)
class FoundPage:
    """A search result with the providers of its page, each paired with its hit."""

    result: search.SearchResult
    entries: list[tuple[search.Hit, Provider]]

    @property
    def providers(self) -> list[Provider]:
        return [provider for _hit, provider in self.entries]


def find(request: search.SearchRequest, as_cards: bool = False) -> FoundPage:
    """Runs a search, read with the needs-and-tools vocabulary, and loads the page's
    providers (as read-only cards with `as_cards`: what result pages show, in two
    statements; see services/cards.py). A hit whose provider left the database a moment ago
    is dropped, so hits and providers never fall out of step. A damaged index heals itself
    (the search package rebuilds it); while it does, raises search.IndexUnavailable for the
    page to say so."""
    if request.thesaurus is None:
        request = replace(request, thesaurus=vocabulary.thesaurus())
    if not request.stale_before:
        request = replace(request, stale_before=freshness.badge_limit().toordinal())
    indexing.catch_up()
    result = search.search(request)
    ids = [hit.provider_id for hit in result.hits]
    loaded = cards.load(ids) if as_cards else {p.id: p for p in get_many(ids)}
    entries = [(hit, loaded[hit.provider_id]) for hit in result.hits if hit.provider_id in loaded]
    return FoundPage(result, entries)


def warm_up() -> int:
    """Runs, once, the searches a new worker would otherwise make its first visitors wait
    for: the whole list in each order, and each service's name in both languages (scoring a
    common word over 100,000 documents takes whoosh a few hundred milliseconds; afterwards
    each index segment keeps its part, see search.segment_cache). Returns how many ran."""
    taxonomy = load_taxonomy()
    requests = [search.SearchRequest(sort=sort) for sort in ("name", "updated")]
    requests += [
        search.SearchRequest(text=service.label(locale), locale=locale)
        for service in taxonomy.services
        for locale in ("fr", "en")
    ]
    for request in requests:
        find(request)
    search.warm_spelling()
    return len(requests)
