"""Turns a Provider into the document the index stores: its texts and its facet values."""

import unicodedata
from datetime import UTC

from directory.models import Provider, normalise_tag
from directory.search.folding import accent_pairs

NATIONWIDE = "france"
REMOTE = "remote"
# Area values that a région or département filter also matches, unless the user opts out.
WIDE_AREAS = (NATIONWIDE, REMOTE)


def region_value(code: str) -> str:
    return f"r:{code}"


def departement_value(code: str) -> str:
    return f"d:{code}"


def area_values(provider: Provider) -> set[str]:
    """The area tokens a provider matches.

    A provider serving a région matches that région and each of its départements; a provider
    serving a département matches it and its région. Nationwide and remote are their own
    tokens, added to région filters at query time so that the user can leave them out.
    """
    values = set()
    for region in provider.regions:
        values.add(region_value(region.code))
        values.update(departement_value(d.code) for d in region.departements)
    for departement in provider.departements:
        values.add(departement_value(departement.code))
        values.add(region_value(departement.region_code))
    if provider.serves_nationwide:
        values.add(NATIONWIDE)
    if provider.serves_remotely:
        values.add(REMOTE)
    return values


def mode_values(provider: Provider) -> set[str]:
    """ "both" counts as on site and as remote, so each filter finds the providers doing both."""
    if provider.work_mode_code == "both":
        return {"on_site", "remote"}
    return {provider.work_mode_code}


def facet_values(provider: Provider) -> dict[str, set[str]]:
    return {
        "service": {service.code for service in provider.services},
        "area": area_values(provider),
        "kind": {provider.kind_code},
        "price": {price.code for price in provider.price_models},
        "mode": mode_values(provider),
        "chatons": {"yes" if provider.chatons_member else "no"},
    }


def sort_key(name: str) -> str:
    """Name order that ignores case and accents ("Écran" sorts with "ecran")."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char)).strip()


def _join(*parts: str | None) -> str:
    return "\n".join(part for part in parts if part)


def text_fields(provider: Provider) -> dict[str, str]:
    """The text of each full-text field: what a query word can match."""
    places = _join(
        provider.city,
        *(region.label_fr for region in provider.regions),
        *(region.label_en for region in provider.regions),
        *(departement.name for departement in provider.departements),
    )
    software = " ".join(tag.name for tag in provider.software)
    # Languages spoken, but French, which nearly every provider speaks ("breton", "langue des
    # signes" are needs).
    languages = [language for language in provider.languages if language.code != "fr"]
    return {
        "name_fr": provider.name,
        "name_en": provider.name,
        "tags": software,
        "text_fr": _join(
            provider.pitch_fr,
            provider.description_fr,
            *(service.label_fr for service in provider.services),
            provider.kind.label_fr,
            *(language.label_fr for language in languages),
            places,
        ),
        "text_en": _join(
            provider.pitch_en,
            provider.description_en,
            *(service.label_en for service in provider.services),
            provider.kind.label_en,
            *(language.label_en for language in languages),
            places,
        ),
    }


def to_document(provider: Provider) -> dict:
    texts = text_fields(provider)
    spell = _join(*texts.values())
    return {
        "id": str(provider.id),
        "name_sort": sort_key(provider.name),
        # Stored naive in UTC by the models.
        "updated": int(provider.updated_at.replace(tzinfo=UTC).timestamp()),
        **texts,
        "spell": spell,
        "accents": accent_pairs(spell),
        "phrase": spell,
        "software": ",".join(sorted({normalise_tag(tag.name) for tag in provider.software})),
        # The pitch is always shown in full next to the snippet, so snippets come from the
        # description alone.
        "snippet_fr": provider.description_fr,
        "snippet_en": provider.description_en,
        **{field: ",".join(sorted(values)) for field, values in facet_values(provider).items()},
    }
