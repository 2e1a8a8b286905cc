"""The figures of one judged query, from the ranking the search page showed.

A ranking is the list of provider slugs in the order of the results page, every page of it.
"Wanted" is a judgement's must-haves and other relevant slugs together.

- precision at 5: wanted slugs among the first 5 results, divided by what 5 results can hold
  (5, or fewer when fewer slugs are wanted), so that a perfect ranking scores 1;
- recall at 10: wanted slugs among the first 10 results, divided by the number of wanted
  slugs (at most 10, for the same reason);
- reciprocal rank: 1 / the rank of the first wanted result, 0 when none is shown;
- pass: every must-have slug is among the first 5 results, no must-not slug appears anywhere
  in the results, and, when the judgement says so (top5_all_relevant), the first 5 places
  (or as many as there are wanted slugs, if fewer) all hold wanted slugs: precision at 5 is 1.
"""

from dataclasses import dataclass

from bench.relevance.judgements import TOP, Judgement

RECALL_DEPTH = 10


def precision_at_5(ranking: list[str], wanted: frozenset[str]) -> float:
    if not wanted:
        return 0.0
    return len(wanted.intersection(ranking[:TOP])) / min(TOP, len(wanted))


def recall_at_10(ranking: list[str], wanted: frozenset[str]) -> float:
    if not wanted:
        return 0.0
    return len(wanted.intersection(ranking[:RECALL_DEPTH])) / min(RECALL_DEPTH, len(wanted))


def reciprocal_rank(ranking: list[str], wanted: frozenset[str]) -> float:
    for rank, slug in enumerate(ranking, start=1):
        if slug in wanted:
            return 1 / rank
    return 0.0


def failures(judgement: Judgement, ranking: list[str]) -> list[str]:
    """Why this ranking fails the judgement, one reason per line; empty when it passes."""
    top = ranking[:TOP]
    reasons = []
    missing = [slug for slug in judgement.must if slug not in top]
    if missing:
        shown = ", ".join(
            f"{slug} (#{ranking.index(slug) + 1})" if slug in ranking else f"{slug} (absent)"
            for slug in missing
        )
        reasons.append(f"not in the first {TOP}: {shown}")
    unwanted = [slug for slug in ranking if slug in judgement.must_not]
    if unwanted:
        shown = ", ".join(f"{slug} (#{ranking.index(slug) + 1})" for slug in unwanted)
        reasons.append(f"must not appear: {shown}")
    if judgement.top5_all_relevant:
        places = min(TOP, len(judgement.wanted))
        stray = [slug for slug in top[:places] if slug not in judgement.wanted]
        if stray:
            reasons.append(f"not relevant in the first {TOP}: {', '.join(stray)}")
        if len(ranking) < places:
            reasons.append(f"{len(ranking)} results where {places} wanted ones were expected")
    return reasons


def passes(judgement: Judgement, ranking: list[str]) -> bool:
    return not failures(judgement, ranking)


@dataclass(frozen=True)
class Score:
    judgement: Judgement
    ranking: list[str]
    precision: float
    recall: float
    reciprocal_rank: float
    reasons: list[str]

    @property
    def passed(self) -> bool:
        return not self.reasons


def score(judgement: Judgement, ranking: list[str]) -> Score:
    wanted = judgement.wanted
    return Score(
        judgement=judgement,
        ranking=ranking,
        precision=precision_at_5(ranking, wanted),
        recall=recall_at_10(ranking, wanted),
        reciprocal_rank=reciprocal_rank(ranking, wanted),
        reasons=failures(judgement, ranking),
    )


def mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0
