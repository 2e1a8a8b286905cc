"""CSV for spreadsheets: no cell the app writes can be read as a formula.

OWASP's advice on CSV injection: a cell beginning with = + - @ TAB or CR is run as a formula
by Excel, LibreOffice and Google Sheets (a provider named =HYPERLINK(...) would become a
link, or worse, on the computer of whoever opens the open-data export). Such a cell gets a
leading single quote, which spreadsheets show as text and hide, and every cell is quoted so
that a separator or a quote inside a cell stays in it. The import undoes the quote, so that
the export reads back unchanged.
"""

import csv
from collections.abc import Iterable, Mapping
from typing import TextIO

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: str) -> str:
    """The cell as written: a single quote in front of a formula-like value. Values already
    starting with quotes before such a character get one more, so that restore() gives
    back exactly what was stored."""
    return f"'{value}" if value.lstrip("'").startswith(FORMULA_STARTS) else value


def restore(value: str) -> str:
    """The stored value of a cell written by neutralise()."""
    if value.startswith("'") and value.lstrip("'").startswith(FORMULA_STARTS):
        return value[1:]
    return value


def write_rows(stream: TextIO, columns: Iterable[str], rows: Iterable[Mapping[str, str]]):
    """Writes a header and the rows, every cell quoted and neutralised."""
    writer = csv.DictWriter(
        stream, fieldnames=list(columns), lineterminator="\n", quoting=csv.QUOTE_ALL
    )
    writer.writeheader()
    for row in rows:
        writer.writerow({column: neutralise(str(value)) for column, value in row.items()})
