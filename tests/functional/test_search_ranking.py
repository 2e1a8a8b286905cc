"""The ranking of a handful of judged queries (bench/relevance) on the seed data, through the
search page, so that tuning one query does not silently push another's best answers down."""

from datetime import date

import pytest

from tests.conftest import html
from tests.factories import make_provider


def ranking(client, query: str) -> list[str]:
    page = html(client.get("/search", query_string={"q": query}))
    return [a["href"].rsplit("/", 1)[-1] for a in page.select("#results article .card-title a")]


@pytest.mark.parametrize(
    ("query", "first"),
    [
        # The video specialist, then the hosts offering video meetings.
        ("zoom", ["libre-video-coop", "le-nuage-nantais"]),
        ("videoconference", ["libre-video-coop", "le-nuage-nantais"]),
        ("visio", ["libre-video-coop", "le-nuage-nantais"]),
        # The accounting specialists before providers that also do accounting.
        ("compta", ["elodie-marchand-comptabilite-associative", "poitou-numerique-cooperatif"]),
        # Texts that name the tool come first.
        ("quitter google", ["collectif-entraide-asso-libre", "picardie-logiciels-libres-services"]),
    ],
)
def test_the_best_answers_stay_first(seeded_client, query, first):
    assert ranking(seeded_client, query)[: len(first)] == first


def test_the_two_breton_hosts_come_before_anyone_working_everywhere(seeded_client):
    assert set(ranking(seeded_client, "hébergement bretagne")[:2]) == {
        "toile-de-mer",
        "coop-num-armor",
    }


def test_matrix_hosts_come_first_for_whatsapp(seeded_client):
    assert {"garonne-hebergement-solidaire", "les-libristes-du-ried"} <= set(
        ranking(seeded_client, "whatsapp")[:3]
    )


def test_accents_and_case_change_nothing_in_the_order(seeded_client):
    expected = ranking(seeded_client, "comptabilité")
    assert expected
    assert ranking(seeded_client, "comptabilite") == expected
    assert ranking(seeded_client, "COMPTABILITE") == expected


def test_an_entry_to_be_verified_ranks_after_an_equal_fresh_one(app, client):
    today = date.today()
    same = {"description_fr": "Hébergement Nextcloud pour les associations.", "regions": []}
    with app.app_context():
        # Made first: with equal scores it would come first, by document order.
        make_provider(slug="ancienne", name="Alpha", last_verified_on=date(2019, 1, 15), **same)
        make_provider(slug="recente", name="Beta", last_verified_on=today, **same)
        make_provider(slug="jamais", name="Gamma", last_verified_on=None, **same)
    assert ranking(client, "nextcloud") == ["recente", "ancienne", "jamais"]


def test_a_much_better_match_still_comes_first_when_it_is_to_be_verified(app, client):
    today = date.today()
    with app.app_context():
        make_provider(
            slug="ancienne",
            name="Nextcloud Solidaire",
            description_fr="Hébergement Nextcloud, formation Nextcloud.",
            last_verified_on=date(2019, 1, 15),
        )
        make_provider(
            slug="recente",
            name="Beta",
            description_fr="Un peu d'hébergement, dont Nextcloud.",
            last_verified_on=today,
        )
    assert ranking(client, "nextcloud") == ["ancienne", "recente"]
