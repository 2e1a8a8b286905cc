"""Reads the vocabularies providers are described with, for forms, facets and pages."""

from dataclasses import dataclass
from functools import cached_property

from flask import current_app, g, has_request_context
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from directory.extensions import db
from directory.models import (
    Audience,
    Language,
    PriceModel,
    Region,
    Service,
    StructureKind,
    TaxonomyChange,
    WorkMode,
)

_EXTENSION = "directory.taxonomy"


@dataclass(frozen=True)
class Term:
    """A vocabulary entry, copied out of the database so that it outlives the request."""

    code: str
    label_fr: str
    label_en: str
    description_fr: str = ""
    description_en: str = ""

    def label(self, locale: str) -> str:
        return self.label_en if locale == "en" else self.label_fr

    def description(self, locale: str) -> str:
        return self.description_en if locale == "en" else self.description_fr


@dataclass(frozen=True)
class DepartementTerm:
    code: str
    name: str
    region_code: str

    def label(self, locale: str) -> str:
        return f"{self.name} ({self.code})"


@dataclass(frozen=True)
class RegionTerm(Term):
    departements: tuple[DepartementTerm, ...] = ()


@dataclass(frozen=True)
class Taxonomy:
    """Every vocabulary, each in display order; immutable, shared by the requests of a
    process."""

    services: tuple[Term, ...]
    structure_kinds: tuple[Term, ...]
    price_models: tuple[Term, ...]
    audiences: tuple[Term, ...]
    work_modes: tuple[Term, ...]
    languages: tuple[Term, ...]
    regions: tuple[RegionTerm, ...]
    version: int = 0

    @cached_property
    def departements(self) -> list[DepartementTerm]:
        return sorted(
            (d for region in self.regions for d in region.departements), key=lambda d: d.code
        )

    @cached_property
    def positions(self) -> dict[str, dict[str, tuple[int, Term]]]:
        """Each vocabulary's terms by code with their display position, by attribute name
        ("services", "departements"…): what cards are assembled from (services/cards.py)."""
        names = ("services", "structure_kinds", "price_models", "audiences", "work_modes",
                 "languages", "regions", "departements")  # fmt: skip
        return {
            name: {term.code: (position, term) for position, term in enumerate(getattr(self, name))}
            for name in names
        }


_VERSION = select(func.max(TaxonomyChange.id))


def version() -> int:
    """The taxonomy's version: the newest taxonomy_change id (0 before any load). One
    primary-key lookup, cheaper than reading the seven vocabularies."""
    return db.session.connection().execute(_VERSION).scalar() or 0


def load_taxonomy() -> Taxonomy:
    """All vocabularies, from this process's copy while the database's version is the same.

    The vocabularies change only when `flask seed` or a taxonomy file is loaded, possibly by
    another process or server; each load adds a taxonomy_change row in its transaction
    (services/seeding), so comparing its newest id with the copy's is correct across
    processes and servers at the cost of one indexed query, with no time-to-live to wait.
    That query is made once per request (a page reads the taxonomy three times; no request
    changes it: seeding and restoring are commands).
    """
    if has_request_context() and "_taxonomy" in g:
        return g._taxonomy
    taxonomy = _current()
    if has_request_context():
        g._taxonomy = taxonomy
    return taxonomy


def _current() -> Taxonomy:
    current = version()
    cached = current_app.extensions.get(_EXTENSION)
    if cached is not None and cached.version == current:
        return cached
    taxonomy = _read(current)
    current_app.extensions[_EXTENSION] = taxonomy
    return taxonomy


def _terms(model) -> tuple[Term, ...]:
    rows = db.session.scalars(select(model).order_by(model.position, model.code))
    return tuple(
        Term(
            row.code,
            row.label_fr,
            row.label_en,
            getattr(row, "description_fr", ""),
            getattr(row, "description_en", ""),
        )
        for row in rows
    )


def _read(current_version: int) -> Taxonomy:
    regions = db.session.scalars(
        select(Region).options(selectinload(Region.departements)).order_by(Region.position)
    )
    return Taxonomy(
        services=_terms(Service),
        structure_kinds=_terms(StructureKind),
        price_models=_terms(PriceModel),
        audiences=_terms(Audience),
        work_modes=_terms(WorkMode),
        languages=_terms(Language),
        regions=tuple(
            RegionTerm(
                region.code,
                region.label_fr,
                region.label_en,
                departements=tuple(
                    DepartementTerm(d.code, d.name, d.region_code) for d in region.departements
                ),
            )
            for region in regions
        ),
        version=current_version,
    )
