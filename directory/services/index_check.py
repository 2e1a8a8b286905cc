"""Comparing this server's index with the database, and repairing the differences."""

from dataclasses import dataclass, field

from sqlalchemy import select

from directory import search
from directory.extensions import db
from directory.models import Provider
from directory.services import providers

BATCH_SIZE = 500


@dataclass
class IndexReport:
    """Provider ids whose document is missing, stale (older than the provider) or orphan (the
    provider is gone or unpublished)."""

    missing: list[int] = field(default_factory=list)
    stale: list[int] = field(default_factory=list)
    orphans: list[int] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not (self.missing or self.stale or self.orphans)


def check() -> IndexReport:
    """Compares every published provider's id and last change with the documents of the
    index. Writes taking place meanwhile may show as differences. Raises
    search.IndexUnavailable if the index cannot be read."""
    indexed = search.indexed_versions()
    rows = db.session.execute(select(Provider.id, Provider.updated_at).where(Provider.published))
    expected = {provider_id: search.version_of(updated_at) for provider_id, updated_at in rows}
    return IndexReport(
        missing=sorted(expected.keys() - indexed.keys()),
        stale=sorted(i for i in expected.keys() & indexed.keys() if expected[i] != indexed[i]),
        orphans=sorted(indexed.keys() - expected.keys()),
    )


def repair(report: IndexReport) -> None:
    """Indexes the missing and stale providers again and removes the orphan documents, in
    batches: the rest of the index is left as it is. Raises search.IndexUnavailable."""
    to_index = report.missing + report.stale
    for start in range(0, len(to_index), BATCH_SIZE):
        search.index_providers(providers.get_many(to_index[start : start + BATCH_SIZE]))
    if report.orphans:
        search.remove_providers(report.orphans)
