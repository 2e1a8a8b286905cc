"""What the index holds, document by document, for comparing it with the database."""

from datetime import UTC, datetime
from pathlib import Path

from whoosh import index as whoosh_index

from directory.search.index import IndexUnavailable, quiet_leaks


def version_of(updated_at: datetime) -> int:
    """The `updated` value a document of a provider last changed at `updated_at` holds (as
    documents.to_document computes it: the models store naive UTC times)."""
    return int(updated_at.replace(tzinfo=UTC).timestamp())


def indexed_versions(path: Path) -> dict[int, int]:
    """Provider id -> the `updated` value (Unix seconds) of its document in the index of
    `path`. Raises IndexUnavailable if the index cannot be read."""
    problem = None
    with quiet_leaks():
        try:
            ix = whoosh_index.open_dir(str(path))
            with ix.searcher() as searcher:
                reader = searcher.reader()
                if reader.doc_count_all() == 0:
                    # An index with no document (a new directory) has no column to read.
                    return {}
                updated = reader.column_reader("updated")
                return {
                    int(fields["id"]): int(updated[docnum]) for docnum, fields in reader.iter_docs()
                }
        except (OSError, EOFError, ValueError, KeyError, whoosh_index.IndexError) as error:
            problem = f"{path}: {error!r}"
    raise IndexUnavailable(problem)
