"""Bulk import of providers from a spreadsheet (the CSV export's columns) into the queue.

It validates each row with the application form's own rules, so it sits beside the views,
above the forms; the write itself is one service call, all rows or none.
"""

import csv
from dataclasses import dataclass
from pathlib import Path

from email_validator import EmailNotValidError, validate_email
from flask_babel import force_locale
from werkzeug.datastructures import MultiDict

from directory.forms.provider import ProviderForm
from directory.services import applications
from directory.services.csv_cells import restore
from directory.services.public_data import CSV_COLUMNS, LIST_SEPARATOR
from directory.services.taxonomy import load_taxonomy

LIST_COLUMNS = ("services", "regions", "departements", "price_models", "audiences", "languages")
BOOLEAN_COLUMNS = ("nationwide", "remote", "chatons")
REQUIRED_COLUMNS = ("name", "kind", "work_mode", "services")


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"line {self.line}, {self.column}: {self.message}"


class ImportRejected(Exception):
    """The file has errors; nothing was imported."""

    def __init__(self, errors: list[RowError]):
        super().__init__(f"{len(errors)} errors")
        self.errors = errors


def _formdata(row: dict) -> MultiDict:
    data = MultiDict()
    for column, value in row.items():
        if column is None or column not in CSV_COLUMNS:
            continue
        value = restore(value or "").strip()
        if column in LIST_COLUMNS:
            for item in value.split(LIST_SEPARATOR):
                if item.strip():
                    data.add(column, item.strip())
        elif column in BOOLEAN_COLUMNS:
            if value.casefold() in ("yes", "oui", "true", "1", "y"):
                data.add(column, "y")
        elif column == "software":
            data.add(column, ", ".join(v.strip() for v in value.split(LIST_SEPARATOR)))
        else:
            data.add(column, value)
    return data


def _lines(path: Path):
    """The file's lines, without the comment lines (the export's licence line)."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.startswith("#"):
                yield number, line


def import_csv(path: str | Path) -> int:
    """Queues every row of the file as a new application; returns how many. Raises
    ImportRejected with every error (line, column, message) and imports nothing if any row
    is invalid. Messages are in English: this runs from the command line."""
    numbered = list(_lines(Path(path)))
    reader = csv.DictReader([line for _number, line in numbered])
    missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise ImportRejected(
            [RowError(numbered[0][0] if numbered else 1, c, "missing column") for c in missing]
        )
    errors, rows = [], []
    with force_locale("en"):
        taxonomy = load_taxonomy()
        for row in reader:
            line = numbered[reader.line_num - 1][0]
            form = ProviderForm(taxonomy, "en", formdata=_formdata(row), meta={"csrf": False})
            if not form.validate():
                errors += [
                    RowError(line, name, str(message))
                    for name, messages in form.errors.items()
                    for message in messages
                ]
                continue
            contact = (row.get("contact_email") or "").strip()
            if contact:
                try:
                    validate_email(contact, check_deliverability=False)
                except EmailNotValidError:
                    errors.append(RowError(line, "contact_email", "invalid email address"))
                    continue
            rows.append((form.to_data(), contact or None))
    if errors:
        raise ImportRejected(errors)
    applications.queue_imported(rows)
    return len(rows)
