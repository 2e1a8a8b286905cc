"""Turns a Provider into the document the index stores: its texts and its facet values."""

import unicodedata
from datetime import UTC

from directory.models import Provider, normalise_tag
from directory.search import wording
from directory.search.facets import facet_values
from directory.search.folding import accent_pairs


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
    recommendations = provider.recommendations
    return {
        "id": str(provider.id),
        "name_sort": sort_key(provider.name),
        # Stored naive in UTC by the models.
        "updated": int(provider.updated_at.replace(tzinfo=UTC).timestamp()),
        "verified": provider.last_verified_on.toordinal() if provider.last_verified_on else 0,
        **texts,
        "spell": spell,
        "accents": accent_pairs(spell),
        "software": ",".join(sorted({normalise_tag(tag.name) for tag in provider.software})),
        # The pitch is always shown in full next to the snippet, so snippets come from the
        # description alone.
        "snippet_fr": provider.description_fr,
        "snippet_en": provider.description_en,
        "wording": wording.of_texts(*texts.values()),
        **{field: ",".join(sorted(values)) for field, values in facet_values(provider).items()},
        # Published testimonials and how many recommend (schema: `opinions`), if any.
        **({"opinions": recommendations.token} if recommendations.total else {}),
    }
