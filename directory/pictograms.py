"""Pictures that stand for things: the pictogram of each service (and of a proprietary tool,
by the services it stands for) and the monogram of a provider without a logo.

The pictograms are Lucide's (ISC licence, npm package `lucide-static`, pinned in
package.json). `tools/build_icons.py` gathers the ones named here into one sprite,
`static/icons/sprite.svg` (committed, so that serving needs no Node.js), which pages use
with `<svg><use href="…#i-name">`: sixteen pictograms cost one request, cached for a year
under its fingerprinted URL, and none is fetched from another host.
"""

import hashlib
import re
import unicodedata
from dataclasses import dataclass

from flask import Flask, url_for

SPRITE = "icons/sprite.svg"
SYMBOL_PREFIX = "i-"

# The one declaration of which Lucide pictogram stands for each service of
# seed/taxonomy.json, in the taxonomy's order (a tool takes its first service's).
SERVICE_ICONS = {
    "hosting": "server",
    "migration": "arrow-right-left",
    "training": "graduation-cap",
    "change_support": "handshake",
    "managed_it": "wrench",
    "website": "globe",
    "development": "code-xml",
    "audit": "shield-check",
    "funding_help": "hand-coins",
    "equipment": "laptop",
    "email_lists": "mail",
    "videoconference": "video",
    "collaborative_tools": "users",
    "accounting_membership": "calculator",
    "network_internet": "wifi",
    "digital_inclusion": "heart-handshake",
}
# A service added to the taxonomy later than this table still gets a pictogram.
FALLBACK_ICON = "circle-dot"
# The pictograms of the cards' facts and trust signals.
OTHER_ICONS = {
    "area": "map-pin",
    "price": "tag",
    "verified": "badge-check",
    "chatons": "leaf",
}


def icon_names() -> list[str]:
    """Every Lucide name the sprite must hold, sorted (tools/build_icons.py reads this)."""
    return sorted({*SERVICE_ICONS.values(), FALLBACK_ICON, *OTHER_ICONS.values()})


def service_icon(code: str) -> str:
    """The sprite symbol id of the service `code`."""
    return SYMBOL_PREFIX + SERVICE_ICONS.get(code, FALLBACK_ICON)


def tool_icon(services) -> str:
    """The symbol id of a tool or need standing for `services` (codes, in any order): its
    first service in the taxonomy's order, so that the same tool always looks the same."""
    chosen = set(services)
    for code in SERVICE_ICONS:
        if code in chosen:
            return service_icon(code)
    return SYMBOL_PREFIX + FALLBACK_ICON


def icon(name: str) -> str:
    """The symbol id of one of OTHER_ICONS ("area", "price"…)."""
    return SYMBOL_PREFIX + OTHER_ICONS[name]


# Monograms take one of these tones, coloured by static/css/site.css (`.monogram.tone-N`;
# the page's CSP allows no inline style), each with white initials at 4.5:1 or more.
MONOGRAM_TONES = 8
# Words left out of the initials ("Les Octets de la Loire" is "OL").
_SMALL_WORDS = frozenset(
    "a au aux d de des du en et l la le les pour sur the of and for".split()  # noqa: SIM905
)


@dataclass(frozen=True)
class Monogram:
    initials: str
    tone: int


def monogram(name: str) -> Monogram:
    """Up to two initials of `name` (its first two significant words, or the first two
    letters of a single word) on a tone derived from the name: the same provider gets the
    same monogram in every page and process (a digest, not Python's salted hash)."""
    words = re.findall(r"[^\W_]+", name)
    significant = [w for w in words if w.casefold() not in _SMALL_WORDS] or words
    if len(significant) >= 2:
        initials = significant[0][0] + significant[1][0]
    elif significant:
        initials = significant[0][:2]
    else:
        initials = "?"
    folded = unicodedata.normalize("NFC", name.strip().casefold())
    number = int.from_bytes(hashlib.sha256(folded.encode()).digest()[:4], "big")
    return Monogram(initials.upper(), number % MONOGRAM_TONES)


def sprite_url() -> str:
    """The sprite's fingerprinted URL (cached for a year)."""
    return url_for("static", filename=SPRITE)


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(
        service_icon=service_icon,
        tool_icon=tool_icon,
        icon=icon,
        monogram=monogram,
        sprite_url=sprite_url,
    )
