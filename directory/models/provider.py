"""The Provider aggregate: a published entry of the directory and its software tags."""

import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Column, ForeignKey, Index, String, Table, Text, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from directory.extensions import db
from directory.models.recommendations import Recommendations
from directory.models.taxonomy import (
    Audience,
    Departement,
    Language,
    PriceModel,
    Region,
    Service,
    StructureKind,
    WorkMode,
)

if TYPE_CHECKING:
    from directory.models.testimonial import Testimonial


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _link_table(name: str, target_table: str, target_type) -> Table:
    """A many-to-many table between provider and a vocabulary keyed by code."""
    return Table(
        name,
        db.metadata,
        Column("provider_id", ForeignKey("provider.id", ondelete="CASCADE"), primary_key=True),
        Column(
            f"{target_table}_code",
            target_type,
            ForeignKey(f"{target_table}.code"),
            primary_key=True,
        ),
    )


provider_service = _link_table("provider_service", "service", String(32))
provider_price_model = _link_table("provider_price_model", "price_model", String(32))
provider_audience = _link_table("provider_audience", "audience", String(32))
provider_language = _link_table("provider_language", "language", String(32))
provider_region = _link_table("provider_region", "region", String(32))
provider_departement = _link_table("provider_departement", "departement", String(3))
provider_software = Table(
    "provider_software",
    db.metadata,
    Column("provider_id", ForeignKey("provider.id", ondelete="CASCADE"), primary_key=True),
    Column("software_id", ForeignKey("software.id"), primary_key=True),
)


def normalise_tag(name: str) -> str:
    """The key under which "NextCloud", "nextcloud " and "Nextcloud" are one tag."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    return re.sub(r"\s+", " ", folded).strip()


class Software(db.Model):
    """A free-software tag; `key` is the normalised form that makes tags unique."""

    __tablename__ = "software"
    __table_args__ = {"sqlite_autoincrement": True}  # an erased row's id never comes back

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    key: Mapped[str] = mapped_column(String(80), unique=True)

    def __repr__(self) -> str:
        return f"<Software {self.key}>"


@dataclass(frozen=True)
class LocalizedText:
    """A text shown in `lang`; `is_fallback` when it is not the language asked for."""

    text: str
    lang: str
    is_fallback: bool


class ProviderReading:
    """What pages read of an entry beyond its columns, shared by the ORM model and the cards
    of result pages (services/cards.py), which are loaded without it."""

    @property
    def website_url(self) -> str | None:
        """The website, only if it is an http or https address (never javascript: and co.)."""
        website = (self.website or "").strip()
        return website if website.lower().startswith(("https://", "http://")) else None

    def localized(self, field: str, locale: str) -> LocalizedText:
        """`pitch` or `description` in `locale`, or in the other language when that is empty."""
        other = "en" if locale == "fr" else "fr"
        wanted = getattr(self, f"{field}_{locale}") or ""
        if wanted.strip():
            return LocalizedText(wanted, locale, False)
        fallback = getattr(self, f"{field}_{other}") or ""
        return LocalizedText(fallback, other, bool(fallback.strip()))

    def area_labels(self, locale: str) -> list[str]:
        """Every area served, in display order, for listings and the provider page."""
        labels = [region.label(locale) for region in self.regions]
        labels += [departement.label(locale) for departement in self.departements]
        return labels


class Provider(ProviderReading, db.Model):
    """A published provider; `version` increases with every change (optimistic locking)."""

    __tablename__ = "provider"
    __table_args__ = (
        # The newest update of the published entries, read for Last-Modified, at any size.
        Index("ix_provider_published_updated_at", "published", "updated_at"),
        {"sqlite_autoincrement": True},  # an erased row's id never comes back
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind_code: Mapped[str] = mapped_column(ForeignKey("structure_kind.code"))
    pitch_fr: Mapped[str] = mapped_column(String(300), default="")
    pitch_en: Mapped[str] = mapped_column(String(300), default="")
    description_fr: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    website: Mapped[str | None] = mapped_column(String(300))
    public_email: Mapped[str | None] = mapped_column(String(254))
    public_phone: Mapped[str | None] = mapped_column(String(40))
    city: Mapped[str | None] = mapped_column(String(120))
    postcode: Mapped[str | None] = mapped_column(String(5))
    logo_filename: Mapped[str | None] = mapped_column(String(80))
    work_mode_code: Mapped[str] = mapped_column(ForeignKey("work_mode.code"))
    serves_nationwide: Mapped[bool] = mapped_column(default=False)
    serves_remotely: Mapped[bool] = mapped_column(default=False)
    chatons_member: Mapped[bool] = mapped_column(default=False)
    # The provider's choice: its public email shown beside the contact form, or only the form.
    show_public_email: Mapped[bool] = mapped_column(default=True, server_default=true())
    # Private: where edit links and yearly reminders go. Never shown, indexed or logged.
    contact_email: Mapped[str | None] = mapped_column(String(254), index=True)
    # False from a removal request until a moderator confirms and the entry is erased, and
    # while an entry is offline for want of verification (unpublished_stale_on).
    published: Mapped[bool] = mapped_column(default=True, index=True)
    reminder_sent_at: Mapped[datetime | None]
    # Reminders sent since the last verification: the yearly one, then one more.
    reminders_sent: Mapped[int] = mapped_column(default=0, server_default="0")
    # When the entry was taken offline, never verified for too long; confirming it brings it
    # back (services.freshness).
    unpublished_stale_on: Mapped[date | None]
    # Language of the provider's emails: the one they last wrote to us in.
    locale: Mapped[str] = mapped_column(String(5), default="fr")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    last_verified_on: Mapped[date | None]
    version: Mapped[int] = mapped_column(default=1)

    def mark_verified(self, today: date) -> None:
        """The provider or a moderator has just checked the entry: the freshness cycle
        (reminders, badge, unpublishing) starts again from today."""
        self.last_verified_on = today
        self.reminder_sent_at = None
        self.reminders_sent = 0

    kind: Mapped[StructureKind] = relationship()
    work_mode: Mapped[WorkMode] = relationship()
    services: Mapped[list[Service]] = relationship(
        secondary=provider_service, order_by=Service.position
    )
    price_models: Mapped[list[PriceModel]] = relationship(
        secondary=provider_price_model, order_by=PriceModel.position
    )
    audiences: Mapped[list[Audience]] = relationship(
        secondary=provider_audience, order_by=Audience.position
    )
    languages: Mapped[list[Language]] = relationship(
        secondary=provider_language, order_by=Language.position
    )
    regions: Mapped[list[Region]] = relationship(
        secondary=provider_region, order_by=Region.position
    )
    departements: Mapped[list[Departement]] = relationship(
        secondary=provider_departement, order_by=Departement.code
    )
    software: Mapped[list[Software]] = relationship(
        secondary=provider_software, order_by=Software.key
    )
    # Its published testimonials, read only: what its trust badges and its search document
    # count (services.providers loads them with the other relationships).
    published_testimonials: Mapped[list["Testimonial"]] = relationship(
        primaryjoin="and_(Provider.id == Testimonial.provider_id, Testimonial.state == 'approved')",
        viewonly=True,
    )

    @property
    def recommendations(self) -> Recommendations:
        """Its published testimonials and how many recommend it (as a Card has them)."""
        items = self.published_testimonials
        return Recommendations(len(items), sum(1 for item in items if item.recommend))

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"<Provider {self.slug}>"
