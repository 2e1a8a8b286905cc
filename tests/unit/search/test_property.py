"""Property: on the seed data, results and every facet count equal a brute-force computation
over the database, for random query words and filters (every facet of search.facets, and
régions and départements as the form sends them)."""

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from directory import search
from directory.extensions import db
from directory.models import Departement, Provider
from directory.search import SearchRequest, analyze, fold, query_words
from directory.search.documents import text_fields
from directory.search.facets import FACETS, area_tokens
from directory.services import providers
from directory.services.taxonomy import load_taxonomy

WORDS = [
    "hébergement",
    "hebergement",
    "formations",
    "nextcloud",
    "NextCloud",
    "vélos",
    "réparation",
    "comptabilité",
    "association",
    "libre",
    "site",
    "web",
    "migration",
    "hosting",
    "training",
    "Bretagne",
    "paheko",
    "peertube",
    "sauvegarde",
    "accompagnement",
    "logiciels",
    "données",
    "accounting",
    "mailing",
    "visioconférence",
    "de",
    "xyzzy",
    "coopérative",
    "Lyon",
    "comptabilite",
    "SECURITE",
    "reseaux",
]


def _load(app):
    with app.app_context():
        taxonomy = load_taxonomy()
        rows = list(providers.iter_all())
        region_of = {d.code: d.region_code for d in db.session.scalars(select(Departement))}
        docs, corpus = [], set()
        for provider in db.session.scalars(select(Provider)).unique():
            texts = text_fields(provider)
            for text in texts.values():
                corpus.update(re.findall(r"\w+(?:\.?\w+)*", text.lower()))
            docs.append(
                {
                    "id": provider.id,
                    "texts": texts,
                    **{facet.field: set(facet.values(provider)) for facet in FACETS},
                    "regions": {r.code for r in provider.regions},
                    "departements": {d.code for d in provider.departements},
                    "wide": provider.serves_nationwide or provider.serves_remotely,
                }
            )
        assert len(docs) == len(rows)
    by_fold = {}
    for word in corpus:
        by_fold.setdefault(fold(word), set()).add(word)
    for doc in docs:
        doc["terms"] = {f: set(analyze(f, text)) for f, text in doc.pop("texts").items()}
    return taxonomy, region_of, docs, by_fold


def _terms(f, word, by_fold):
    """A word is searched under itself, its folded form and the indexed words folding alike."""
    forms = {word.lower(), fold(word), *by_fold.get(fold(word), ())}
    return {term for form in forms for term in analyze(f, form)}


def _matches_text(doc, words, by_fold):
    return all(any(_terms(f, w, by_fold) & doc["terms"][f] for f in doc["terms"]) for w in words)


def _matches_area(doc, selected, include_wide, region_of):
    if include_wide and doc["wide"]:
        return True
    served_regions = doc["regions"] | {region_of[d] for d in doc["departements"]}
    for value in selected:
        kind, code = value.split(":")
        if kind == "r" and code in served_regions:
            return True
        if kind == "d" and (code in doc["departements"] or region_of[code] in doc["regions"]):
            return True
    return False


def _matches(doc, facet, selected, include_wide, region_of):
    if not selected:
        return True
    if facet == "area":
        return _matches_area(doc, selected, include_wide, region_of)
    return bool(doc[facet] & selected)


@st.composite
def requests(draw, taxonomy, region_of):
    def some(values):
        return frozenset(draw(st.lists(st.sampled_from(values), max_size=2)))

    regions = some([r.code for r in taxonomy.regions])
    departements = some([d.code for d in taxonomy.departements])
    words = draw(st.lists(st.sampled_from(WORDS), max_size=2))
    return SearchRequest(
        text=" ".join(words),
        filters={
            **{facet.field: some(_all_values(facet, taxonomy)) for facet in FACETS},
            "area": area_tokens(regions, departements, region_of),
        },
        include_wide=draw(st.booleans()),
        per_page=1000,
    )


def _all_values(facet, taxonomy) -> list[str]:
    if facet.vocabulary is None:
        return [code for code, _label in facet.choices] + ["no"]
    return [t.code for t in getattr(taxonomy, facet.vocabulary) if t.code not in facet.hidden]


def test_results_and_counts_equal_brute_force(seeded_app):
    taxonomy, region_of, docs, by_fold = _load(seeded_app)
    all_values = {facet.field: _all_values(facet, taxonomy) for facet in FACETS}
    all_values["area"] = [f"r:{r.code}" for r in taxonomy.regions] + [
        f"d:{d.code}" for d in taxonomy.departements
    ]

    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(requests(taxonomy, region_of))
    def check(request):
        words = query_words(request.text)
        wide = request.include_wide
        filters = request.filters
        text_docs = [d for d in docs if _matches_text(d, words, by_fold)]
        expected = {
            d["id"]
            for d in text_docs
            if all(_matches(d, f, filters[f], wide, region_of) for f in filters)
        }
        with seeded_app.app_context():
            result = search.search(request)
        assert {hit.provider_id for hit in result.hits} == expected
        assert result.total == len(expected)
        for facet, values in all_values.items():
            others = [
                d
                for d in text_docs
                if all(_matches(d, f, filters[f], wide, region_of) for f in filters if f != facet)
            ]
            for value in values:
                count = sum(_matches(d, facet, {value}, wide, region_of) for d in others)
                assert result.count(facet, value) == count, (facet, value)

    check()


def test_a_departement_inside_a_selected_region_narrows_it():
    region_of = {"29": "53", "35": "53", "01": "84"}
    assert area_tokens(["53"], [], region_of) == {"r:53"}
    assert area_tokens(["53"], ["29"], region_of) == {"d:29"}
    assert area_tokens(["53", "84"], ["29"], region_of) == {"d:29", "r:84"}
    assert area_tokens(["53"], ["01"], region_of) == {"r:53", "d:01"}
