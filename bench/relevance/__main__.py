"""`python -m bench.relevance` (or `make relevance`): how well the search answers the judged
queries of bench/relevance/judgements.json, on a fresh app holding the seed data.

Each query goes through the search page (see engine.py) and is scored (see metrics.py):

- precision at 5 (P@5): wanted providers (must-haves and other relevant ones) among the
  first 5 results, divided by min(5, number wanted);
- recall at 10 (R@10): wanted providers among the first 10, divided by min(10, number wanted);
- reciprocal rank (RR): 1 / rank of the first wanted result (0 if none is shown);
- pass: a query passes when every must-have slug is in the top 5 and no must-not slug
  appears in the results (on any page); a judgement marked top5_all_relevant also requires
  the first 5 results to be wanted ones (P@5 = 1).

Prints one line per query, the means (P@5, R@10, MRR), the number of passing queries, each
failing query with what was expected and what came, and whether the targets are met (every
query passes, MRR at least 0.9). It is a measurement, not a test: the exit code is 0 whatever
the figures (a judgements file naming an unknown provider or code is an error).
"""

import os
import sys
import time
from collections import defaultdict

from bench.relevance.engine import ranking, seeded_client
from bench.relevance.judgements import load_judgements
from bench.relevance.metrics import Score, mean, score

MRR_TARGET = 0.9
SHOWN = 8


def _line(s: Score) -> str:
    j = s.judgement
    filters = " ".join(f"{name}={','.join(values)}" for name, values in j.filters)
    query = f"{j.q!r} {filters}".strip()
    verdict = "pass" if s.passed else "FAIL"
    return (
        f"{verdict:4}  {s.precision:4.2f}  {s.recall:4.2f}  {s.reciprocal_rank:4.2f}  "
        f"{j.locale}  {j.id:38.38}  {query}"
    )


def report(scores: list[Score], seconds: float) -> str:
    lines = [f"{'':4}  P@5   R@10  RR    lang  {'id':38}  query", ""]
    lines += [_line(s) for s in scores]
    passed = sum(s.passed for s in scores)
    mrr = mean([s.reciprocal_rank for s in scores])
    lines += [
        "",
        f"{len(scores)} judged queries in {seconds:.1f} s",
        f"mean P@5  {mean([s.precision for s in scores]):.3f}",
        f"mean R@10 {mean([s.recall for s in scores]):.3f}",
        f"MRR       {mrr:.3f}",
        f"passing   {passed} / {len(scores)}",
        "",
        "by category (passing / judged, MRR):",
    ]
    groups = defaultdict(list)
    for s in scores:
        groups[s.judgement.category].append(s)
    for category, group in sorted(groups.items()):
        lines.append(
            f"  {category:15} {sum(s.passed for s in group):3} / {len(group):3}  "
            f"{mean([s.reciprocal_rank for s in group]):.2f}"
        )
    failing = [s for s in scores if not s.passed]
    if failing:
        lines += ["", f"failing queries ({len(failing)}):"]
    for s in failing:
        j = s.judgement
        lines.append(f"- {j.id} [{j.locale}] {j.q!r} — {j.why}")
        lines += [f"    {reason}" for reason in s.reasons]
        lines.append(f"    expected in the first 5: {', '.join(j.must) or '(any wanted)'}")
        shown = ", ".join(s.ranking[:SHOWN]) or "(no result)"
        more = f" … ({len(s.ranking)} results)" if len(s.ranking) > SHOWN else ""
        lines.append(f"    came: {shown}{more}")
    met = passed == len(scores) and mrr >= MRR_TARGET
    lines += [
        "",
        f"Targets (every query passes, MRR >= {MRR_TARGET}): "
        + ("MET" if met else f"NOT MET ({len(scores) - passed} failing, MRR {mrr:.3f})"),
    ]
    return "\n".join(lines)


def main() -> None:
    judgements = load_judgements()
    only = os.environ.get("RELEVANCE_ONLY")
    if only:
        judgements = [j for j in judgements if only in j.id]
    print(f"Building a fresh app with the seed data, {len(judgements)} queries…", file=sys.stderr)
    with seeded_client() as client:
        started = time.perf_counter()
        scores = [score(j, ranking(client, j)) for j in judgements]
        seconds = time.perf_counter() - started
    print(report(scores, seconds))


if __name__ == "__main__":
    main()
