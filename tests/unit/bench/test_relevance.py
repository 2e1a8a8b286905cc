"""The relevance measure (`make relevance`): its figures on made-up rankings, what makes a
query pass, the judgements file and how the ranking is read from a results page."""

import json

import pytest

from bench.relevance.engine import card_slugs, next_page, query_string, ranking
from bench.relevance.judgements import SEED_DIR, Judgement, JudgementError, load_judgements
from bench.relevance.metrics import (
    failures,
    passes,
    precision_at_5,
    recall_at_10,
    reciprocal_rank,
    score,
)


def judgement(must=(), relevant=(), must_not=(), top5_all_relevant=False, filters=()):
    return Judgement(
        id="made-up",
        q="words",
        locale="fr",
        category="need",
        why="made up",
        must=tuple(must),
        relevant=frozenset(relevant),
        must_not=frozenset(must_not),
        top5_all_relevant=top5_all_relevant,
        filters=tuple(filters),
    )


def test_precision_at_5_counts_wanted_slugs_in_the_first_five():
    wanted = frozenset({"a", "b", "c", "d", "e", "f"})
    assert precision_at_5(["a", "x", "b", "y", "c", "d"], wanted) == pytest.approx(3 / 5)
    assert precision_at_5(["a", "b", "c", "d", "e"], wanted) == 1
    assert precision_at_5(["x", "y"], wanted) == 0


def test_precision_at_5_is_1_when_the_few_wanted_slugs_come_first():
    assert precision_at_5(["a", "b", "x", "y", "z"], frozenset({"a", "b"})) == 1
    assert precision_at_5(["a", "x", "y", "z", "w", "b"], frozenset({"a", "b"})) == 0.5


def test_recall_at_10_counts_wanted_slugs_in_the_first_ten():
    ranking = [f"x{i}" for i in range(9)] + ["a", "b"]
    assert recall_at_10(ranking, frozenset({"a", "b"})) == 0.5
    assert recall_at_10(["b", "a"], frozenset({"a", "b"})) == 1
    wanted = frozenset(f"w{i}" for i in range(15))
    assert recall_at_10(sorted(wanted)[:10], wanted) == 1
    assert recall_at_10(sorted(wanted)[:5], wanted) == 0.5


def test_reciprocal_rank_is_one_over_the_rank_of_the_first_wanted_result():
    assert reciprocal_rank(["a", "b"], frozenset({"a"})) == 1
    assert reciprocal_rank(["x", "y", "a", "b"], frozenset({"a", "b"})) == pytest.approx(1 / 3)
    assert reciprocal_rank(["x", "y"], frozenset({"a"})) == 0
    assert reciprocal_rank([], frozenset({"a"})) == 0


def test_a_query_passes_with_its_must_haves_in_the_first_five():
    j = judgement(must=["a", "b"])
    assert passes(j, ["x", "a", "y", "b", "z", "w"])
    assert not passes(j, ["x", "a", "y", "z", "w", "b"])
    assert not passes(j, ["a"])
    assert failures(j, ["x", "a", "y", "z", "w", "b"]) == ["not in the first 5: b (#6)"]


def test_a_must_not_slug_anywhere_in_the_results_fails_the_query():
    j = judgement(must=["a"], must_not=["bad"])
    assert passes(j, ["a", "x", "y"])
    ranking = ["a"] + [f"x{i}" for i in range(30)] + ["bad"]
    assert not passes(j, ranking)
    assert failures(j, ranking) == ["must not appear: bad (#32)"]


def test_top5_all_relevant_wants_every_first_place_filled_with_a_wanted_slug():
    j = judgement(relevant=["a", "b", "c", "d", "e", "f"], top5_all_relevant=True)
    assert passes(j, ["a", "b", "c", "d", "e", "stray"])
    assert not passes(j, ["a", "b", "stray", "c", "d"])
    # Nothing found is not a pass: the wanted providers are missing.
    assert not passes(j, [])
    assert not passes(j, ["a", "b"])
    few = judgement(relevant=["a", "b"], top5_all_relevant=True)
    assert passes(few, ["b", "a", "stray"])


def test_score_gathers_the_figures_and_the_verdict():
    result = score(judgement(must=["a"], relevant=["b"]), ["x", "a", "b"])
    assert (result.precision, result.recall, result.reciprocal_rank) == (1, 1, 0.5)
    assert result.passed
    assert not score(judgement(must=["a"]), ["x"]).passed


def test_the_judged_set_covers_both_languages_and_names_only_seed_providers():
    judgements = load_judgements()
    assert len(judgements) >= 80
    assert {j.locale for j in judgements} == {"fr", "en"}
    assert sum(j.locale == "en" for j in judgements) >= 20
    assert all(j.must or j.top5_all_relevant for j in judgements)


def _write(tmp_path, entries):
    path = tmp_path / "judgements.json"
    path.write_text(json.dumps(entries), encoding="utf-8")
    return path


ENTRY = {
    "id": "one",
    "q": "visio",
    "locale": "fr",
    "category": "need",
    "must": ["libre-video-coop"],
    "why": "video",
}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"must": ["no-such-provider"]}, "unknown provider 'no-such-provider'"),
        ({"must_not": ["libre-video-coop"]}, "both wanted and unwanted"),
        ({"filters": {"region": ["99"]}}, "unknown region '99'"),
        ({"filters": {"colour": ["red"]}}, "unknown filter 'colour'"),
        ({"locale": "de"}, "locale 'de'"),
        ({"must": []}, "nothing to pass or fail"),
    ],
)
def test_a_wrong_judgement_is_refused_with_its_reason(tmp_path, change, message):
    with pytest.raises(JudgementError, match=message):
        load_judgements(_write(tmp_path, [{**ENTRY, **change}]))


def test_two_judgements_may_not_share_an_id(tmp_path):
    with pytest.raises(JudgementError, match="id used twice"):
        load_judgements(_write(tmp_path, [ENTRY, ENTRY]))


def test_the_query_string_is_the_search_pages_own():
    j = judgement(must=["a"], filters=[("region", ("53", "11")), ("kind", ("association",))])
    assert query_string(j) == [
        ("q", "words"),
        ("lang", "fr"),
        ("region", "53"),
        ("region", "11"),
        ("kind", "association"),
    ]


def test_the_ranking_is_read_from_the_result_cards_in_page_order():
    html = """
    <nav><a href="/providers/in-the-menu">not a result</a></nav>
    <section id="results">
      <article class="card"><h3><a href="/providers/first">First</a></h3>
        <a href="/providers/first#contact">again</a></article>
      <div class="group"><article class="card">
        <h3><a href="/providers/second?lang=en">Second</a></h3></article></div>
      <article class="card"><a href="/search?q=x">a search link</a>
        <a href="/providers/third/">Third</a></article>
      <nav class="pagination"><a rel="next" href="/search?q=x&amp;page=2">Next</a></nav>
    </section>
    """
    assert card_slugs(html) == ["first", "second", "third"]
    assert next_page(html) == "/search?q=x&page=2"
    assert next_page("<section id='results'></section>") is None


def test_the_ranking_of_the_search_page_covers_every_page(seeded_client):
    """On the seeded app: every provider once, in the page's order, across the pages."""
    everything = ranking(seeded_client, _query(""))
    seed = json.loads((SEED_DIR / "providers.json").read_text(encoding="utf-8"))
    assert sorted(everything) == sorted(item["slug"] for item in seed)
    assert ranking(seeded_client, _query("Toile de Mer"))[0] == "toile-de-mer"
    in_english = _query("Toile de Mer", locale="en", filters=[("region", ("53",))])
    assert ranking(seeded_client, in_english)[0] == "toile-de-mer"
    assert ranking(seeded_client, _query("zzzz nothing")) == []


def _query(text, locale="fr", filters=()):
    return Judgement(
        id="page",
        q=text,
        locale=locale,
        category="facet",
        why="",
        must=(),
        relevant=frozenset(),
        must_not=frozenset(),
        top5_all_relevant=True,
        filters=tuple(filters),
    )


def test_the_measured_app_answers_a_judged_query_with_results():
    # Its Host check answered 400 to every query once PUBLIC_URL was enforced.
    from dataclasses import replace

    from bench.relevance.engine import seeded_client

    with seeded_client() as client:
        assert "toile-de-mer" in ranking(client, replace(judgement(), q="nextcloud"))
