"""The Whoosh schema and the French and English analysers the directory searches with."""

import re

from whoosh.analysis import (
    CharsetFilter,
    Filter,
    LanguageAnalyzer,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
)
from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.support.charset import accent_map

from directory.search.facets import AREA_FIELD, FACETS

# Bump whenever the schema or an analyser changes: the app then rebuilds the index at start.
SCHEMA_VERSION = "12"


class PluralFilter(Filter):
    """Drops a final -s or -x left by the French stemmer, so "vélos" and "vélo" are one term.

    Snowball's French stemmer keeps the plural mark after some vowels ("vélos" stays "vélos",
    "réseaux" stays "réseaux"). The filter runs on both indexed and query text, so the
    occasional over-stripped word ("bus" -> "bu") still matches itself.
    """

    def __call__(self, tokens):
        for token in tokens:
            text = token.text
            if len(text) > 3 and text[-1] in "sx":
                token.text = text[:-1]
            yield token


class FeminineFilter(Filter):
    """Reads a final "-ée" or "-ées" as "-é" or "-és" before the French stemmer, so that a
    feminine agreement, right ("créée", "créé") or wrong ("comptabilitée"), gives the stem of
    the word without it.

    Snowball's French stemmer strips "-ité" from "comptabilité" (to "comptabl") but does not
    see it in "comptabilitée", which it cuts to "comptabilit", a stem no text holds: one extra
    letter lost every accounting provider. The filter runs on indexed and query text alike.
    """

    def __call__(self, tokens):
        for token in tokens:
            text = token.text
            if len(text) > 4 and text.endswith(("ée", "ées")):
                token.text = text[:-2] + text[-1] if text.endswith("s") else text[:-1]
            yield token


def french_analyzer():
    # Stemming first, then accent folding: folding first breaks "comptabilité"/"comptable".
    return (
        RegexTokenizer()
        | LowercaseFilter()
        | StopFilter(lang="fr")
        | FeminineFilter()
        | StemFilter(lang="fr", cachesize=50000)
        | CharsetFilter(accent_map)
        | PluralFilter()
    )


def english_analyzer():
    return LanguageAnalyzer("en") | CharsetFilter(accent_map)


def tag_analyzer():
    """Software names and other proper nouns: words, lower case, accents folded, no stemming."""
    return RegexTokenizer() | LowercaseFilter() | CharsetFilter(accent_map)


def spelling_analyzer():
    """Whole words in lower case, accents kept, so that suggestions read as real words."""
    return RegexTokenizer() | LowercaseFilter()


# RegexTokenizer's own pattern: spelling_words gives the spelling analyser's tokens at a tenth
# of the cost of running it (no Token objects).
_SPELLING_WORD = re.compile(r"\w+(?:\.?\w+)*")


def spelling_words(text: str) -> list[str]:
    """The words the spelling field holds for `text` (what spelling_analyzer yields)."""
    return _SPELLING_WORD.findall(text.lower())


# Fields whose positions "quoted phrases" are checked on.
PHRASE_FIELDS = ("name_fr", "name_en", "text_fr", "text_en")
# Full-text fields searched by a query word, with their weights: the name counts most.
TEXT_FIELDS = ("name_fr", "name_en", "tags", "text_fr", "text_en")
# Facet fields: one exact token per value (see facets.facet_values).
FACET_FIELDS = (AREA_FIELD, *(facet.field for facet in FACETS))


def build_schema() -> Schema:
    return Schema(
        id=ID(stored=True, unique=True),
        name_sort=ID(sortable=True),
        updated=NUMERIC(sortable=True, bits=64),
        # Day of the last verification (date.toordinal(), 0 when never): entries not verified
        # for too long rank lower (SearchRequest.stale_before).
        verified=NUMERIC(sortable=True, bits=32),
        # "<published testimonials>/<of which recommend>" (none without testimonials): the
        # "recommended" sort's weight (models.recommendations), read without SQL as one
        # bitmap per value (a few dozen), kept per segment across commits like the facets'.
        opinions=ID(),
        # Positions on the French and English names and texts only: "quoted phrases" are
        # checked there (tags and spelling words keep none; positions on these four fields
        # cost no measurable indexing time, a separate positional field doubled it).
        name_fr=TEXT(analyzer=french_analyzer(), field_boost=4.0),
        name_en=TEXT(analyzer=english_analyzer(), field_boost=4.0),
        tags=TEXT(analyzer=tag_analyzer(), field_boost=2.0, phrase=False),
        text_fr=TEXT(analyzer=french_analyzer()),
        text_en=TEXT(analyzer=english_analyzer()),
        spell=TEXT(analyzer=spelling_analyzer(), spelling=True, phrase=False),
        # "folded=accented" for each accented word: read as a term list, never scored
        # (see folding).
        accents=KEYWORD(),
        # Software tags by their normalised key (models.normalise_tag): what an entry of the
        # needs-and-tools vocabulary names.
        software=KEYWORD(commas=True),
        # Texts the snippets are cut from, in each language.
        snippet_fr=STORED(),
        snippet_en=STORED(),
        # Every text's words lightly normalised: "quoted phrases" as written (see wording).
        wording=STORED(),
        **{field: KEYWORD(commas=True) for field in FACET_FIELDS},
    )
