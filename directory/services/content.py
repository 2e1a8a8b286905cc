"""Editorial content kept as data files in seed/ (the charter)."""

import json
from pathlib import Path

from flask import current_app


def charter(locale: str) -> dict:
    """The charter in `locale` (title, intro, commitments, outro), French if unknown."""
    path = Path(current_app.config["SEED_DIR"]) / "charter.json"
    texts = json.loads(path.read_text(encoding="utf-8"))
    return texts.get(locale) or texts["fr"]
