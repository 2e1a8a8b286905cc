"""The ranking of a handful of judged queries (bench/relevance) on the seed data, through the
search page, so that tuning one query does not silently push another's best answers down."""

import pytest

from tests.conftest import html


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
