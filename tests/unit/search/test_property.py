"""Property: on the seed data, results and every facet count equal a brute-force computation
over the database, for random query words and filters."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from directory import search
from directory.extensions import db
from directory.models import Departement, Provider
from directory.search import SearchRequest, analyze, query_words
from directory.search.documents import text_fields
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
]


def _load(app):
    with app.app_context():
        taxonomy = load_taxonomy()
        rows = list(providers.iter_all())
        region_of = {d.code: d.region_code for d in db.session.scalars(select(Departement))}
        docs = []
        for provider in db.session.scalars(select(Provider)).unique():
            texts = text_fields(provider)
            docs.append(
                {
                    "id": provider.id,
                    "terms": {f: set(analyze(f, text)) for f, text in texts.items()},
                    "service": {s.code for s in provider.services},
                    "kind": {provider.kind_code},
                    "price": {p.code for p in provider.price_models},
                    "mode": {"on_site", "remote"}
                    if provider.work_mode_code == "both"
                    else {provider.work_mode_code},
                    "chatons": {"yes" if provider.chatons_member else "no"},
                    "regions": {r.code for r in provider.regions},
                    "departements": {d.code for d in provider.departements},
                    "wide": provider.serves_nationwide or provider.serves_remotely,
                }
            )
        assert len(docs) == len(rows)
    return taxonomy, region_of, docs


def _matches_text(doc, words):
    return all(any(set(analyze(f, word)) & doc["terms"][f] for f in doc["terms"]) for word in words)


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
def requests(draw, taxonomy):
    def some(values):
        return frozenset(draw(st.lists(st.sampled_from(values), max_size=2)))

    areas = [f"r:{r.code}" for r in taxonomy.regions]
    areas += [f"d:{d.code}" for d in taxonomy.departements]
    words = draw(st.lists(st.sampled_from(WORDS), max_size=2))
    return SearchRequest(
        text=" ".join(words),
        filters={
            "service": some([s.code for s in taxonomy.services]),
            "area": some(areas),
            "kind": some([k.code for k in taxonomy.structure_kinds]),
            "price": some([p.code for p in taxonomy.price_models]),
            "mode": some(["on_site", "remote"]),
            "chatons": some(["yes", "no"]),
        },
        include_wide=draw(st.booleans()),
        per_page=1000,
    )


def test_results_and_counts_equal_brute_force(seeded_app):
    taxonomy, region_of, docs = _load(seeded_app)
    all_values = {
        "service": [s.code for s in taxonomy.services],
        "area": [f"r:{r.code}" for r in taxonomy.regions]
        + [f"d:{d.code}" for d in taxonomy.departements],
        "kind": [k.code for k in taxonomy.structure_kinds],
        "price": [p.code for p in taxonomy.price_models],
        "mode": ["on_site", "remote"],
        "chatons": ["yes", "no"],
    }

    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(requests(taxonomy))
    def check(request):
        words = query_words(request.text)
        wide = request.include_wide
        filters = request.filters
        text_docs = [d for d in docs if _matches_text(d, words)]
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
