"""How a page of hits is ordered: the functions doc -> score summed for relevance, and each
provider's distance from the visitor for the "near me" order."""

from directory.search.docsets import DocSet
from directory.search.matching import FacetCache
from directory.search.syntax import Expansion, ParsedQuery, is_stop_word

# Score of a provider offering every service of a vocabulary entry and nothing else; shared
# among its services when it offers more (a BM25F score of one word in the name is about 10
# to 20; in a description, 2 to 8).
SERVICE_SCORE = 12.0
# A provider that writes the very words of an entry ("Google Drive", "Gmail") is the best
# evidence: those words weigh double; the replacing software's names, half.
NAMED_WEIGHT = 2.0
SOFTWARE_WEIGHT = 0.5
# An entry showing the "to be verified" badge ranks as if it matched this much less: enough
# to come after an equal or nearly equal fresh match, not so much that the best answer to a
# need disappears from the first page (at 0.8, `make relevance` loses "sondage"'s best host).
STALE_WEIGHT = 0.85


def scorers(cache: FacetCache, query: ParsedQuery) -> list:
    """Functions doc -> score: per clause, the BM25F of its words (the best alternative's, for
    "a OR b", so that holding both does not beat holding the rarer one), and for a vocabulary
    entry its services and software."""
    scorers = []
    for clause in query.clauses:
        weight = NAMED_WEIGHT if clause.expansion else 1.0
        per_alternative = [
            [
                _scaled(cache.ranking.scorer(word), weight)
                for word in alternative.words
                if not is_stop_word(word)
            ]
            for alternative in clause.alternatives
        ]
        if len(per_alternative) == 1:
            scorers += per_alternative[0]
        elif per_alternative:
            scorers.append(_best(per_alternative))
        if clause.expansion is not None:
            scorers += _expansion_scorers(cache, clause.expansion)
    return scorers


def _best(per_alternative):
    return lambda doc: max(sum(s(doc) for s in scorers) for scorers in per_alternative)


def _expansion_scorers(cache: FacetCache, expansion: Expansion) -> list:
    """A provider that offers the entry's services counts more the fewer services it offers
    (a specialist); its free software count as their names' BM25F scores, so that a
    provider that writes about them comes before one that only tags them."""
    scorers = []
    services = [DocSet(cache.docs("service", code)) for code in sorted(expansion.services)]
    if services:
        counts = cache.service_counts()

        def service_score(doc, services=services, counts=counts):
            offered = sum(doc in docs for docs in services)
            return SERVICE_SCORE * offered / counts.get(doc, 1) if offered else 0.0

        scorers.append(service_score)
    for name in expansion.software:
        words = [word for word in name.split() if len(word) > 2] or name.split()
        weight = SOFTWARE_WEIGHT / len(words)
        scorers += [_scaled(cache.ranking.scorer(word), weight) for word in words]
    return scorers


def demote_stale(cache: FacetCache, scorers: list, stale_before: int):
    """One scorer: the sum of `scorers`, times STALE_WEIGHT for an entry last verified before
    the day `stale_before` (or never), so that it needs a clearly better match to come first."""
    verified = cache.verified_days()

    def score(doc: int) -> float:
        total = sum(s(doc) for s in scorers)
        return total * STALE_WEIGHT if verified[doc] < stale_before else total

    return score


def _scaled(scorer, factor: float):
    return lambda doc: scorer(doc) * factor


INF = float("inf")


def distance(cache: FacetCache, distances: dict[str, float]):
    """doc -> km to the nearest département it serves (inf when none has a distance)."""
    served = cache.departements_served()

    def km(doc: int) -> float:
        return min((distances[c] for c in served.get(doc, ()) if c in distances), default=INF)

    return km
