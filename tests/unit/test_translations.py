"""Every message of the code is in both catalogues, translated and not fuzzy."""

import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from directory.config import ROOT


def _catalog(path):
    with open(path, "rb") as po_file:
        return read_po(po_file)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    pot = tmp_path_factory.mktemp("pot") / "messages.pot"
    subprocess.run(
        [
            Path(sys.executable).parent / "pybabel",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "-o",
            str(pot),
            "directory",
            "templates",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    return {message.id for message in _catalog(pot) if message.id}


@pytest.mark.parametrize("locale", ["fr", "en"])
def test_catalogue_has_every_message_translated(extracted, locale):
    catalog = _catalog(ROOT / "translations" / locale / "LC_MESSAGES" / "messages.po")
    by_id = {message.id: message for message in catalog if message.id}
    missing = sorted(str(m) for m in extracted - by_id.keys())
    assert missing == [], f"not in the {locale} catalogue; run `make translations-update`"
    untranslated = [
        str(message.id)
        for message in by_id.values()
        if message.fuzzy
        or not (all(message.string) if isinstance(message.string, tuple) else message.string)
    ]
    assert untranslated == []
