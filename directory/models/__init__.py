"""Tables of the directory, one module per aggregate."""

from directory.models.provider import LocalizedText, Provider, Software, normalise_tag
from directory.models.taxonomy import (
    VOCABULARIES,
    Audience,
    BilingualTerm,
    Departement,
    Language,
    PriceModel,
    Region,
    Service,
    StructureKind,
    WorkMode,
)

__all__ = [
    "VOCABULARIES",
    "Audience",
    "BilingualTerm",
    "Departement",
    "Language",
    "LocalizedText",
    "PriceModel",
    "Provider",
    "Region",
    "Service",
    "Software",
    "StructureKind",
    "WorkMode",
    "normalise_tag",
]
