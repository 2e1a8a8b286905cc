"""What a provider's card shows, as text ready to print: built here once per card, so that
the template is a flat loop of attribute reads (templates/macros.html, `provider_card`).

A results page shows twenty cards. Rendered by a macro that translated its words, built its
links, formatted its dates and called a helper per service, they cost about 4 ms of a 15 ms
page (nearly a thousand template calls and a hundred and sixty translations). Here the words
every card shares are translated once per page (`CardWords`), links are made from one
`url_for` per page, and each card's own texts (its badges, its "verified in" month) are
formatted once. The cards' data comes from services/cards.py (or the ORM model: both read
the same way).
"""

from dataclasses import dataclass
from datetime import date
from urllib.parse import quote

from flask import url_for
from flask_babel import format_date, gettext, ngettext

from directory.pictograms import icon, monogram, service_icon, sprite_url
from directory.services import freshness
from directory.services.vocabulary import alternatives_for

# A card lists at most this many proprietary tools its software replaces, then "…".
ALTERNATIVES_SHOWN = 4


@dataclass(frozen=True, slots=True)
class CardWords:
    """What every card of a page says the same way, translated once per page."""

    sprite: str
    services: str
    areas: str
    price: str
    updated: str
    trust_signals: str
    area_icon: str
    price_icon: str

    @classmethod
    def current(cls) -> "CardWords":
        return cls(
            sprite=sprite_url(),
            services=gettext("Services"),
            areas=gettext("Areas"),
            price=gettext("Price"),
            updated=gettext("Updated"),
            trust_signals=gettext("Trust signals"),
            area_icon=icon("area"),
            price_icon=icon("price"),
        )


@dataclass(frozen=True, slots=True)
class Badge:
    """One trust signal: `tone` is its CSS modifier ("" for none), `icon` a sprite symbol,
    `datetime` set when the text names a date (printed in a <time>)."""

    text: str
    tone: str = ""
    icon: str | None = None
    datetime: str | None = None


@dataclass(frozen=True, slots=True)
class CardFace:
    """One card, every text in the page's language (`*_lang` set when a text is in the
    other one)."""

    href: str
    name: str
    logo_src: str | None
    initials: str
    tone: int
    kind: str
    city: str | None
    distance: str | None
    pitch: str
    pitch_lang: str | None
    # The search package's highlighted extract: its text escaped, its <mark> tags ours.
    snippet_html: str | None
    snippet_lang: str | None
    services: tuple[tuple[str, str], ...]
    alternatives: str | None
    areas: str
    prices: str
    updated: tuple[str, str] | None
    badges: tuple[Badge, ...]


def _everywhere() -> tuple[str, str]:
    return gettext("All of France"), gettext("Remotely")


def area_summary(provider, locale: str, everywhere: tuple[str, str] | None = None) -> str:
    """Every area served, then "All of France" and "Remotely" when they apply: what cards
    and the provider page say. `everywhere`: those two words, already translated (a page
    of cards translates them once)."""
    all_of_france, remotely = everywhere or _everywhere()
    parts = provider.area_labels(locale)
    if provider.serves_nationwide:
        parts.append(all_of_france)
    if provider.serves_remotely:
        parts.append(remotely)
    return ", ".join(parts)


class _Links:
    """Links to every provider's page and logo from one `url_for` each: the same URLs, at a
    fraction of the cost of one call per card (slugs and logo names are URL-safe already;
    they are quoted anyway)."""

    _MARK = "__card__"

    def __init__(self):
        self._page = url_for("providers.show", slug=self._MARK)
        self._logo = url_for("providers.logo", name=self._MARK)

    def page(self, slug: str) -> str:
        return self._page.replace(self._MARK, quote(slug, safe=""))

    def logo(self, name: str) -> str:
        return self._logo.replace(self._MARK, quote(name, safe=""))


class CardPainter:
    """Turns providers into faces for one page: `dated` is "verified" (results: when the
    entry was last checked) or "updated" (the home page's recent entries: when it changed)."""

    def __init__(self, locale: str, dated: str = "verified", today: date | None = None):
        self.locale = locale
        self.dated = dated
        self.today = today or date.today()
        self.words = CardWords.current()
        self._links = _Links()
        self._months: dict[tuple[int, int], str] = {}
        self._everywhere = _everywhere()
        self._chatons = Badge(gettext("CHATONS member"), icon=icon("chatons"))
        self._to_verify = Badge(gettext("To be verified"), tone="warning")
        self._verified_icon = icon("verified")

    def face(self, provider, hit=None, open_reports: int = 0) -> CardFace:
        locale = self.locale
        mark = monogram(provider.name)
        pitch = provider.localized("pitch", locale)
        distance = getattr(hit, "distance", None)
        snippet = getattr(hit, "snippet_html", None) or None
        tools = alternatives_for(provider)
        return CardFace(
            href=self._links.page(provider.slug),
            name=provider.name,
            logo_src=self._links.logo(provider.logo_filename) if provider.logo_filename else None,
            initials=mark.initials,
            tone=mark.tone,
            kind=provider.kind.label(locale) if provider.kind else "",
            city=provider.city or None,
            distance=gettext("≈ %(km)d km", km=round(distance)) if distance is not None else None,
            pitch=pitch.text,
            pitch_lang=pitch.lang if pitch.lang != locale else None,
            snippet_html=snippet,
            snippet_lang=hit.snippet_lang if snippet and hit.snippet_lang != locale else None,
            services=tuple((service_icon(s.code), s.label(locale)) for s in provider.services),
            alternatives=self._alternatives(tools) if tools else None,
            areas=area_summary(provider, locale, self._everywhere),
            prices=", ".join(price.label(locale) for price in provider.price_models),
            updated=self._updated(provider.updated_at) if self.dated == "updated" else None,
            badges=self._badges(provider, open_reports),
        )

    def _alternatives(self, tools: list[str]) -> str:
        listed = ", ".join(tools[:ALTERNATIVES_SHOWN])
        if len(tools) > ALTERNATIVES_SHOWN:
            listed += " …"
        return gettext("Alternative to %(tools)s", tools=listed)

    def _updated(self, when) -> tuple[str, str]:
        return when.date().isoformat(), format_date(when, "medium")

    def _badges(self, provider, open_reports: int) -> tuple[Badge, ...]:
        badges = []
        if provider.chatons_member:
            badges.append(self._chatons)
        verified = provider.last_verified_on
        if freshness.needs_verification(verified, self.today):
            badges.append(self._to_verify)
        elif verified and self.dated == "verified":
            badges.append(self._verified(verified))
        opinions = provider.recommendations
        if opinions.total:
            text = ngettext("%(num)d testimonial", "%(num)d testimonials", opinions.total)
            badges.append(Badge(text, tone="testimonials"))
        if opinions.shows_count:
            text = ngettext("%(num)d recommends", "%(num)d recommend", opinions.recommending)
            badges.append(Badge(text, tone="recommend"))
        if open_reports:
            text = ngettext("%(num)d open report", "%(num)d open reports", open_reports)
            badges.append(Badge(text, tone="warning badge-reports"))
        return tuple(badges)

    def _verified(self, day: date) -> Badge:
        key = (day.year, day.month)
        if key not in self._months:
            month = format_date(day, "MMM y")
            self._months[key] = gettext("Verified in %(month)s", month=month)
        return Badge(
            self._months[key], tone="quiet", icon=self._verified_icon, datetime=day.isoformat()
        )

    def faces(self, entries, open_reports: dict[int, int] | None = None) -> list:
        """(hit, face) for each (hit, provider) of a page of results."""
        open_reports = open_reports or {}
        return [
            (hit, self.face(provider, hit, open_reports.get(provider.id, 0)))
            for hit, provider in entries
        ]
