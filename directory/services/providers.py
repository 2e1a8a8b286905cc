"""Reading published providers, and keeping the search index in step with them."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from directory import search
from directory.extensions import db
from directory.models import Provider, Region
from directory.services import freshness, index_log, vocabulary

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
    if "\x00" in slug:  # PostgreSQL refuses NUL in any text, even to compare it
        return None
    return db.session.scalar(
        select(Provider).where(Provider.slug == slug, Provider.published).options(*_FULL)
    )


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


def index_source() -> tuple[int, Iterator[Provider]]:
    """What a rebuild reads: the newest id of the change log, then every published provider.
    The rebuilt index counts as holding every change logged before (it read the providers
    after them); later ones are replayed by catch_up. The search package calls it to heal a
    damaged index."""
    return index_log.latest_id(), iter_all()


def reindex_all(on_progress: Callable[[int], None] | None = None) -> int:
    """Rebuilds the search index from the database; returns the number of providers indexed.
    Raises search.IndexUnavailable if the index folder cannot be written."""
    latest, providers = index_source()
    indexed = search.rebuild(providers, on_progress)
    search.mark_applied(latest)
    return indexed


def ensure_search_index() -> bool:
    """Rebuilds the index if it is missing, unreadable, outdated or out of step with the
    database; True if it rebuilt."""
    latest = index_log.latest_id()
    rebuilt = search.ensure_index(iter_all, count())
    if rebuilt:
        search.mark_applied(latest)
    return rebuilt


def catch_up(timeout: float = search.REPLAY_TIMEOUT) -> int | None:
    """Applies to this server's index the changes logged since its watermark, by other app
    servers or by a process that died before updating the index. Costs one `SELECT max(id)`
    when there is nothing to do. Returns the number of documents written, or None if another
    process held the index's writer lock for `timeout` seconds (the next search tries again).
    At most index_log.REPLAY_BATCH changes are applied per call. Raises
    search.IndexUnavailable."""
    if index_log.latest_id() <= search.applied_change():
        return 0
    return search.replay_changes(_changes_since, timeout)


def _changes_since(after_id: int) -> search.ChangeSet:
    """What the changes past `after_id` add up to, read from the database as it is now: a
    provider still published is indexed again, any other one is removed."""
    last_id, touched = index_log.changed_since(after_id)
    present = [provider for provider in get_many(sorted(touched)) if provider.published]
    return search.ChangeSet(last_id, present, touched - {provider.id for provider in present})


@dataclass(frozen=True)
class FoundPage:
    """A search result with the providers of its page, each paired with its hit."""

    result: search.SearchResult
    entries: list[tuple[search.Hit, Provider]]

    @property
    def providers(self) -> list[Provider]:
        return [provider for _hit, provider in self.entries]


def find(request: search.SearchRequest) -> FoundPage:
    """Runs a search, read with the needs-and-tools vocabulary, and loads the page's
    providers. A hit whose provider left the database a moment ago is dropped, so hits and
    providers never fall out of step. A damaged index heals itself (the search package
    rebuilds it); while it does, raises search.IndexUnavailable for the page to say so."""
    if request.thesaurus is None:
        request = replace(request, thesaurus=vocabulary.thesaurus())
    if not request.stale_before:
        request = replace(request, stale_before=freshness.badge_limit().toordinal())
    catch_up()
    result = search.search(request)
    loaded = {p.id: p for p in get_many([hit.provider_id for hit in result.hits])}
    entries = [(hit, loaded[hit.provider_id]) for hit in result.hits if hit.provider_id in loaded]
    return FoundPage(result, entries)


def sync_index(changed: list[Provider] = (), removed_ids: list[int] = ()) -> None:
    """Brings the index in step after a commit. The database is the truth: if the index
    cannot be written, the change stays committed and the index heals from the database (or
    the change log's replay applies it once the writer lock is free)."""
    try:
        if changed:
            search.index_providers(changed)
        if removed_ids:
            search.remove_providers(removed_ids)
    except search.IndexUnavailable as error:
        current_app.logger.warning("Search index not updated now: %s", error)
