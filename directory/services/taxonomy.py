"""Reads the vocabularies providers are described with, for forms, facets and pages."""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from directory.extensions import db
from directory.models import (
    Audience,
    Departement,
    Language,
    PriceModel,
    Region,
    Service,
    StructureKind,
    WorkMode,
)


@dataclass(frozen=True)
class Taxonomy:
    """Every vocabulary, each in display order."""

    services: list[Service]
    structure_kinds: list[StructureKind]
    price_models: list[PriceModel]
    audiences: list[Audience]
    work_modes: list[WorkMode]
    languages: list[Language]
    regions: list[Region]

    @property
    def departements(self) -> list[Departement]:
        return sorted(
            (d for region in self.regions for d in region.departements), key=lambda d: d.code
        )


def _ordered(model):
    return list(db.session.scalars(select(model).order_by(model.position, model.code)))


def load_taxonomy() -> Taxonomy:
    """All vocabularies from the database (a handful of small queries)."""
    regions = db.session.scalars(
        select(Region).options(selectinload(Region.departements)).order_by(Region.position)
    )
    return Taxonomy(
        services=_ordered(Service),
        structure_kinds=_ordered(StructureKind),
        price_models=_ordered(PriceModel),
        audiences=_ordered(Audience),
        work_modes=_ordered(WorkMode),
        languages=_ordered(Language),
        regions=list(regions),
    )
