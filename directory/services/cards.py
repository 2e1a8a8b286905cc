"""The providers of a page of results, read in the shape of their cards: two statements.

Loading them through the ORM, with each relationship by its own `selectinload`, took ten
statements and about 7 ms for 20 cards at 10,000 providers, most of it building model
instances and identity-map entries that a card never writes to. Here one statement reads
the public columns a card shows, with the count of published testimonials and of those
recommending (a grouped subquery of those providers' testimonials, joined), and one reads
every link of those providers to the vocabularies and software (a UNION ALL); codes become
the process's taxonomy terms, which read like the models (`label(locale)`, `label_fr`). A
Card is read-only and never holds a private column (the private email, reminders).
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache

from sqlalchemy import bindparam, case, func, literal, or_, select, union_all

from directory.extensions import db
from directory.models import Provider, Software, Testimonial, TestimonialState, normalise_tag
from directory.models.provider import (
    ProviderReading,
    provider_audience,
    provider_departement,
    provider_language,
    provider_price_model,
    provider_region,
    provider_service,
    provider_software,
)
from directory.models.recommendations import Recommendations
from directory.services.taxonomy import DepartementTerm, RegionTerm, Term, load_taxonomy

# The public columns: what a card, the home page's recent entries and the API's records show.
_COLUMNS = (
    "id", "slug", "name", "kind_code", "pitch_fr", "pitch_en", "description_fr",
    "description_en", "website", "public_email",
    "show_public_email", "public_phone", "city", "postcode", "logo_filename", "work_mode_code",
    "serves_nationwide", "serves_remotely", "chatons_member", "created_at", "updated_at",
    "last_verified_on", "locale",
)  # fmt: skip
# Card attribute -> (link table, its code column, the taxonomy's terms of that vocabulary).
_LINKS = {
    "services": (provider_service, "service_code", "services"),
    "price_models": (provider_price_model, "price_model_code", "price_models"),
    "audiences": (provider_audience, "audience_code", "audiences"),
    "languages": (provider_language, "language_code", "languages"),
    "regions": (provider_region, "region_code", "regions"),
    "departements": (provider_departement, "departement_code", "departements"),
}


@dataclass(frozen=True)
class Tag:
    """A software tag as a card shows it."""

    name: str


@dataclass
class Card(ProviderReading):
    id: int
    slug: str
    name: str
    kind_code: str
    pitch_fr: str
    pitch_en: str
    description_fr: str
    description_en: str
    website: str | None
    public_email: str | None
    show_public_email: bool
    public_phone: str | None
    city: str | None
    postcode: str | None
    logo_filename: str | None
    work_mode_code: str
    serves_nationwide: bool
    serves_remotely: bool
    chatons_member: bool
    created_at: datetime
    updated_at: datetime
    last_verified_on: date | None
    locale: str
    kind: Term | None = None
    work_mode: Term | None = None
    services: list[Term] = field(default_factory=list)
    price_models: list[Term] = field(default_factory=list)
    audiences: list[Term] = field(default_factory=list)
    languages: list[Term] = field(default_factory=list)
    regions: list[RegionTerm] = field(default_factory=list)
    departements: list[DepartementTerm] = field(default_factory=list)
    software: list[Tag] = field(default_factory=list)
    # Published testimonials, and how many of them recommend the provider.
    testimonial_total: int = 0
    recommending: int = 0
    # Whether the contact form can reach it (it has a private or a public email): the
    # private address itself is never read into a card.
    accepts_messages: bool = False

    @property
    def recommendations(self) -> Recommendations:
        """As Provider.recommendations: what the trust badges show."""
        return Recommendations(self.testimonial_total, self.recommending)


@cache
def _links():
    """The cards' second statement, built once: every link of the providers `ids` (an
    expanding parameter) to the vocabularies and software, as (relation, provider, code)."""
    ids = bindparam("ids", expanding=True)
    parts = [
        select(literal(name).label("relation"), table.c.provider_id, table.c[column]).where(
            table.c.provider_id.in_(ids)
        )
        for name, (table, column, _terms) in _LINKS.items()
    ]
    parts.append(
        select(literal("software"), provider_software.c.provider_id, Software.name)
        .join(Software, Software.id == provider_software.c.software_id)
        .where(provider_software.c.provider_id.in_(ids))
    )
    return union_all(*parts)


def _filled(column):
    return func.trim(func.coalesce(column, "")) != ""


@cache
def _columns_and_counts():
    """The cards' first statement, built once (building it, with its subquery, cost more
    than running it): the public columns of the providers `ids` (an expanding parameter)
    and their counts of published testimonials and of those recommending. The state is
    counted, not filtered on: with it in the WHERE clause, SQLite read the state's index
    (every published testimonial) rather than the provider's (a few rows)."""
    ids = bindparam("ids", expanding=True)
    published = Testimonial.state == TestimonialState.APPROVED
    tally = (
        select(
            Testimonial.provider_id,
            func.sum(case((published, 1), else_=0)).label("total"),
            func.sum(case((published & Testimonial.recommend, 1), else_=0)).label("recommending"),
        )
        .where(Testimonial.provider_id.in_(ids))
        .group_by(Testimonial.provider_id)
        .subquery()
    )
    return (
        select(
            *(Provider.__table__.c[name] for name in _COLUMNS),
            func.coalesce(tally.c.total, 0).label("testimonial_total"),
            func.coalesce(tally.c.recommending, 0).label("recommending"),
            # As services/contact.relay_address: a private email, else a public one.
            or_(_filled(Provider.contact_email), _filled(Provider.public_email)).label(
                "accepts_messages"
            ),
        )
        .select_from(Provider.__table__.outerjoin(tally, tally.c.provider_id == Provider.id))
        .where(Provider.id.in_(ids), Provider.published.is_(True))
    )


def load(ids: list[int]) -> dict[int, Card]:
    """The published providers among `ids`, as cards, by id. Both statements run on the
    session's connection, as Core statements: through the ORM's execution they cost twice
    as much, for rows that become no model."""
    if not ids:
        return {}
    connection = db.session.connection()
    rows = connection.execute(_columns_and_counts(), {"ids": list(ids)}).all()
    cards = {row.id: Card(**row._mapping) for row in rows}
    if not cards:
        return cards
    taxonomy = load_taxonomy()
    kinds, modes = taxonomy.positions["structure_kinds"], taxonomy.positions["work_modes"]
    terms = {name: taxonomy.positions[terms_name] for name, (_t, _c, terms_name) in _LINKS.items()}
    for card in cards.values():
        card.kind = kinds[card.kind_code][1] if card.kind_code in kinds else None
        card.work_mode = modes[card.work_mode_code][1] if card.work_mode_code in modes else None
    for relation, provider_id, code in connection.execute(_links(), {"ids": list(cards)}).all():
        card = cards.get(provider_id)
        if card is None:
            continue
        if relation == "software":
            card.software.append(Tag(code))
        elif code in terms[relation]:
            getattr(card, relation).append(terms[relation][code])
    for card in cards.values():
        for relation in _LINKS:
            listed = getattr(card, relation)
            listed.sort(key=lambda entry: entry[0])
            setattr(card, relation, [term for _position, term in listed])
        card.software.sort(key=lambda tag: normalise_tag(tag.name))
    return cards
