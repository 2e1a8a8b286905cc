"""The taxonomy is read once per process and read again when another process loads it."""

import json

from directory import create_app
from directory.services import taxonomy
from directory.services.seeding import load_taxonomy_file
from tests.conftest import SEED_DIR, worker_config


def _count_reads(monkeypatch) -> list[int]:
    reads = []
    real = taxonomy._read

    def counting(version):
        reads.append(version)
        return real(version)

    monkeypatch.setattr(taxonomy, "_read", counting)
    return reads


def test_a_second_load_uses_the_process_copy(app, monkeypatch):
    reads = _count_reads(monkeypatch)
    with app.app_context():
        first = taxonomy.load_taxonomy()
    with app.app_context():
        second = taxonomy.load_taxonomy()
    assert second is first
    assert len(reads) == 1
    assert [s.code for s in first.services][:1] and first.regions[0].departements


def test_a_load_by_another_process_is_seen(app, tmp_path, monkeypatch):
    with app.app_context():
        before = taxonomy.load_taxonomy()
    data = json.loads((SEED_DIR / "taxonomy.json").read_text(encoding="utf-8"))
    data["services"][0]["fr"] = "Libellé changé"
    changed = tmp_path / "taxonomy.json"
    changed.write_text(json.dumps(data), encoding="utf-8")
    other = create_app(worker_config(app, SEARCH_INDEX_DIR=str(tmp_path / "other-index")))
    with other.app_context():
        load_taxonomy_file(changed)
    reads = _count_reads(monkeypatch)
    with app.app_context():
        after = taxonomy.load_taxonomy()
    assert len(reads) == 1
    assert after.version > before.version
    assert after.services[0].label("fr") == "Libellé changé"
    assert before.services[0].label("fr") != "Libellé changé"
