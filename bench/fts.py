"""The baseline a user could pick instead: SQLite FTS5 and facet tables built from the very
same documents, the same queries, counts by GROUP BY.

FTS5's unicode61 tokenizer folds case and accents but does not stem, so it matches a little
less than Whoosh ("formations" does not find "formation"): if anything, it flatters FTS5.
"""

import sqlite3
from pathlib import Path

from bench.queries import Query
from bench.timing import timed
from directory.search.documents import to_document
from directory.search.schema import FACET_FIELDS
from directory.services import providers

WIDE = ("france", "remote")
PER_PAGE = 20


def build(app, path: Path) -> sqlite3.Connection:
    path.unlink(missing_ok=True)
    connection = sqlite3.connect(path)
    connection.executescript(
        """
        CREATE VIRTUAL TABLE doc USING fts5(
            name, tags, text_fr, text_en, tokenize = 'unicode61 remove_diacritics 2');
        CREATE TABLE facet (doc INTEGER, field TEXT, value TEXT);
        """
    )
    with app.app_context():
        for provider in providers.iter_all():
            document = to_document(provider)
            pid = int(document["id"])
            connection.execute(
                "INSERT INTO doc (rowid, name, tags, text_fr, text_en) VALUES (?, ?, ?, ?, ?)",
                (pid, document["name_fr"], document["tags"], document["text_fr"],
                 document["text_en"]),
            )  # fmt: skip
            connection.executemany(
                "INSERT INTO facet VALUES (?, ?, ?)",
                [
                    (pid, field, value)
                    for field in FACET_FIELDS
                    for value in document[field].split(",")
                    if value
                ],
            )
    connection.executescript(
        "CREATE INDEX facet_value ON facet (field, value, doc); "
        "CREATE INDEX facet_doc ON facet (doc, field, value); ANALYZE;"
    )
    connection.commit()
    return connection


def _match(query: Query) -> str:
    return " ".join('"' + word.replace('"', "") + '"' for word in query.words.split())


def _selections(query: Query) -> dict[str, list[str]]:
    selected: dict[str, list[str]] = {}
    for field, value, _name, _form in query.filters:
        selected.setdefault(field, []).append(value)
    if "area" in selected:
        selected["area"] += WIDE
    return selected


def _conditions(selections: dict[str, list[str]], skip: str | None = None):
    sql, params = [], []
    for field, values in selections.items():
        if field == skip:
            continue
        marks = ", ".join("?" * len(values))
        sql.append(f"AND {{doc}} IN (SELECT doc FROM facet WHERE field = ? AND value IN ({marks}))")
        params += [field, *values]
    return " ".join(sql), params


# The text match is computed once (MATERIALIZED); facet conditions then filter it through
# IN (subquery), which SQLite turns into a temporary index: the planner otherwise probes the
# FTS table per facet row, a thousand times slower. Counts walk the matched documents and
# read their facet rows from the covering (doc, field, value) index (CROSS JOIN fixes the
# order), rather than every row of the facet.
MATCHED = "WITH m AS MATERIALIZED (SELECT rowid AS id, rank FROM doc WHERE doc MATCH ?) "


def page(connection, query: Query, filters: bool) -> tuple[list[int], int]:
    selections = _selections(query) if filters else {}
    extra, params = _conditions(selections)
    where = f"WHERE 1 {extra.format(doc='id')}"
    total = connection.execute(
        f"{MATCHED} SELECT count(*) FROM m {where}", [_match(query), *params]
    )
    ids = connection.execute(
        f"{MATCHED} SELECT id FROM m {where} ORDER BY rank LIMIT {PER_PAGE}",
        [_match(query), *params],
    )
    return [row[0] for row in ids], total.fetchone()[0]


def counts(connection, query: Query) -> dict[str, dict[str, int]]:
    selections = _selections(query)
    result = {}
    for field in FACET_FIELDS:
        extra, params = _conditions(selections, skip=field)
        rows = connection.execute(
            f"{MATCHED} SELECT value, count(*) FROM m CROSS JOIN facet ON facet.doc = m.id "
            f"WHERE field = ? {extra.format(doc='m.id')} GROUP BY value",
            [_match(query), field, *params],
        )
        result[field] = dict(rows.fetchall())
    return result


def fts_timings(connection, queries: list[Query]) -> dict[str, dict]:
    """The same (a), (b) and (c) as bench.timing, on FTS5."""
    return {
        "a": timed(lambda q: page(connection, q, filters=False), queries),
        "b": timed(lambda q: page(connection, q, filters=True), queries),
        "c": timed(lambda q: (page(connection, q, True), counts(connection, q)), queries),
    }
