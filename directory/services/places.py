"""Places typed in a query: a région, a département (name or number), a postcode or a town
where a provider is based becomes an area filter ("hébergement bretagne").

Names are compared folded (no accents, no case, hyphens and apostrophes as spaces), the
longest name first ("Pays de la Loire" before "Loire"). Names that are everyday words
("Cher", "Somme", "Manche", "Lot", "Var", "Ain", and "Réunion" alone, a meeting) are only read
as places by number (or, for La Réunion, in full).
"""

import re
import threading
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

from directory.extensions import db
from directory.models import IndexChange, Provider
from directory.search import fold
from directory.services import index_log
from directory.services.taxonomy import Taxonomy

# Longest place name, in words ("Provence Alpes Cote d Azur").
MAX_NAME_WORDS = 6
COMMON_WORDS = frozenset({"cher", "somme", "manche", "lot", "var", "ain", "reunion"})
_WORD = re.compile(r"\w+")
_POSTCODE = re.compile(r"\d{5}")


@dataclass(frozen=True)
class Place:
    """An area named in a query: `param` is "region" or "dept", `words` what was typed."""

    param: str
    code: str
    words: str


def departement_of_postcode(postcode: str) -> str | None:
    """The département of a French postcode (Corsica's 20xxx split into 2A and 2B)."""
    if not _POSTCODE.fullmatch(postcode or ""):
        return None
    if postcode.startswith("97"):
        return postcode[:3]
    if postcode.startswith("20"):
        return "2A" if postcode < "20200" else "2B"
    return postcode[:2]


def _key(text: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(fold(text).replace("_", " ")))


class Gazetteer:
    """Names and numbers of areas, and towns of the directory, by their folded words."""

    def __init__(self, taxonomy: Taxonomy, towns: list[tuple[str, str]]):
        # Folded name -> the areas it names: a town name may name several ("Saint-Denis").
        names: dict[tuple[str, ...], list[tuple[str, str]]] = {}
        departements = {d.code for d in taxonomy.departements}
        for town, postcode in sorted(towns):
            code = departement_of_postcode(postcode)
            areas = names.setdefault(_key(town), [])
            if code in departements and ("dept", code) not in areas:
                areas.append(("dept", code))
        for departement in taxonomy.departements:
            if fold(departement.name) not in COMMON_WORDS:
                names[_key(departement.name)] = [("dept", departement.code)]
        for region in taxonomy.regions:
            for label in (region.label_fr, region.label_en):
                if fold(label) not in COMMON_WORDS:
                    names[_key(label)] = [("region", region.code)]
        self._names = {key: value for key, value in names.items() if key}
        self._codes = {fold(code): code for code in departements}

    def find(self, text: str) -> tuple[list[Place], str]:
        """The places of `text`, and `text` without them."""
        matches = list(_WORD.finditer(text))
        words = [fold(m.group()) for m in matches]
        places, spans, index = [], [], 0
        while index < len(words):
            found = None
            for size in range(min(MAX_NAME_WORDS, len(words) - index), 0, -1):
                key = tuple(words[index : index + size])
                if self._names.get(key):
                    found = (size, self._names[key])
                    break
            if found is None and words[index] in self._codes:
                found = (1, [("dept", self._codes[words[index]])])
            if found is None and departement_of_postcode(words[index]) in self._codes.values():
                found = (1, [("dept", departement_of_postcode(words[index]))])
            if found is None:
                index += 1
                continue
            size, areas = found
            start, end = matches[index].start(), matches[index + size - 1].end()
            places += [Place(param, code, text[start:end]) for param, code in areas]
            spans.append((start, end))
            index += size
        rest = text
        for start, end in reversed(spans):
            rest = rest[:start] + " " + rest[end:]
        return places, " ".join(rest.split())


@dataclass(frozen=True)
class _Built:
    taxonomy_version: object
    change_id: int
    towns: frozenset[tuple[str, str]]
    gazetteer: Gazetteer


_lock = threading.Lock()


def _cache() -> dict[str, _Built]:
    """Kept per application, so that each has its own database's towns."""
    return current_app.extensions.setdefault("directory.gazetteer", {})


def gazetteer(taxonomy: Taxonomy) -> Gazetteer:
    """The application's gazetteer. After a change of providers it adds the towns of the changed
    entries (a few rows) instead of reading every provider's town again (about 90 ms at
    100,000): a town stays known until the taxonomy changes or the process restarts, which
    still reads it as its own département."""
    latest = index_log.latest_id()
    with _lock:
        cached = _cache().get("gazetteer")
    if cached is not None and cached.taxonomy_version == taxonomy.version:
        if cached.change_id == latest:
            return cached.gazetteer
        if cached.change_id < latest and index_log.kept_since(cached.change_id):
            towns = cached.towns | _towns(_changed_between(cached.change_id, latest))
            built = cached.gazetteer
            if towns != cached.towns:
                built = Gazetteer(taxonomy, list(towns))
            return _keep(_Built(taxonomy.version, latest, towns, built))
    towns = _towns(select(Provider.city, Provider.postcode).distinct())
    return _keep(_Built(taxonomy.version, latest, towns, Gazetteer(taxonomy, list(towns))))


def _changed_between(after_id: int, up_to_id: int):
    changed = select(IndexChange.provider_id).where(
        IndexChange.id > after_id, IndexChange.id <= up_to_id
    )
    return select(Provider.city, Provider.postcode).where(Provider.id.in_(changed)).distinct()


def _towns(statement) -> frozenset[tuple[str, str]]:
    rows = db.session.execute(statement.where(Provider.published, Provider.city.is_not(None)))
    return frozenset((city, postcode) for city, postcode in rows if postcode)


def _keep(built: _Built) -> Gazetteer:
    with _lock:
        cache = _cache()
        current = cache.get("gazetteer")
        if current is None or current.change_id <= built.change_id:
            cache["gazetteer"] = built
    return built.gazetteer
