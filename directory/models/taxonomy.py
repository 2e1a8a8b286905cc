"""Taxonomy tables: the bilingual vocabularies a provider is described with."""

from datetime import UTC, datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from directory.extensions import db


class BilingualTerm:
    """A vocabulary entry with a stable code and a label in French and English."""

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    label_fr: Mapped[str] = mapped_column(String(120))
    label_en: Mapped[str] = mapped_column(String(120))
    position: Mapped[int] = mapped_column(default=0)

    def label(self, locale: str) -> str:
        return self.label_en if locale == "en" else self.label_fr

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.code}>"


class Service(BilingualTerm, db.Model):
    __tablename__ = "service"

    description_fr: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")

    def description(self, locale: str) -> str:
        return self.description_en if locale == "en" else self.description_fr


class StructureKind(BilingualTerm, db.Model):
    __tablename__ = "structure_kind"


class PriceModel(BilingualTerm, db.Model):
    __tablename__ = "price_model"


class Audience(BilingualTerm, db.Model):
    __tablename__ = "audience"


class WorkMode(BilingualTerm, db.Model):
    __tablename__ = "work_mode"


class Language(BilingualTerm, db.Model):
    __tablename__ = "language"


class Region(BilingualTerm, db.Model):
    """A French région; `code` is its official INSEE code."""

    __tablename__ = "region"

    departements: Mapped[list["Departement"]] = relationship(
        back_populates="region", order_by="Departement.code"
    )


class Departement(db.Model):
    """A French département; `code` is its official INSEE code ("01", "2A", "974")."""

    __tablename__ = "departement"

    code: Mapped[str] = mapped_column(String(3), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    region_code: Mapped[str] = mapped_column(ForeignKey("region.code"), index=True)
    region: Mapped[Region] = relationship(back_populates="departements")

    def label(self, locale: str) -> str:
        return f"{self.name} ({self.code})"

    def __repr__(self) -> str:
        return f"<Departement {self.code}>"


VOCABULARIES: dict[str, type[BilingualTerm]] = {
    "services": Service,
    "structure_kinds": StructureKind,
    "price_models": PriceModel,
    "audiences": Audience,
    "work_modes": WorkMode,
    "languages": Language,
    "regions": Region,
}


class TaxonomyChange(db.Model):
    """One load of the vocabularies (`flask seed`, a taxonomy file): the newest id is the
    taxonomy's version, which each process compares with its cached copy (services/taxonomy)."""

    __tablename__ = "taxonomy_change"
    __table_args__ = {"sqlite_autoincrement": True}  # a version never comes back

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(
        default=lambda: datetime.now(UTC).replace(tzinfo=None)
    )
