"""Catalogue upkeep: the English catalogue mirrors the English source strings."""

from pathlib import Path

from babel.messages.pofile import read_po, write_po


def fill_english(po_path: Path) -> int:
    """Copies each untranslated English msgid into its msgstr; returns how many were filled.

    The source strings are English, so the English catalogue is their identity; keeping it
    complete lets a test catch any entry missing from either catalogue.
    """
    with po_path.open("rb") as po_file:
        catalog = read_po(po_file, locale="en")
    filled = 0
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            if not all(message.string):
                message.string = (message.id[0], message.id[1])
                filled += 1
        elif not message.string:
            message.string = message.id
            filled += 1
        message.flags.discard("fuzzy")
    with po_path.open("wb") as po_file:
        write_po(po_file, catalog, no_location=True, width=100)
    return filled
