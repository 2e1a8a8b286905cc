"""How a page of hits is ordered: the functions doc -> score summed for relevance, and each
provider's distance from the visitor for the "near me" order."""

from directory.search.docsets import DocSet
from directory.search.matching import FacetCache
from directory.search.syntax import Expansion, ParsedQuery, is_stop_word

# Score of a provider offering every service of a vocabulary entry and nothing else; shared
# among its services when it offers more (a BM25F score of one word in the name is about 10
# to 20; in a description, 2 to 8).
SERVICE_SCORE = 12.0
# A provider that writes the very words of a tool ("Google Drive", "Gmail") is the best
# evidence: those words weigh double; a need's word ("visio"), which may only say how a
# provider works, one and a half. Writing one of the entry's other words (a synonym, what
# the tool is for) counts as a short mention in a description, unless the typed words score
# more; the replacing software, 0.6 of the best one's score. The weights are tuned on
# bench/relevance (`make relevance`), each within a narrow band: rerun it after a change.
NAMED_WEIGHT = 2.0
EVIDENCE_SCORE = 3.0
NEED_WEIGHT = 1.5
SOFTWARE_WEIGHT = 0.6
# An entry showing the "to be verified" badge ranks as if it matched this much less: enough
# to come after an equal or nearly equal fresh match, not so much that the best answer to a
# need disappears from the first page (at 0.8, `make relevance` lost "sondage"'s best host).
STALE_WEIGHT = 0.85


def scorers(cache: FacetCache, query: ParsedQuery, locale: str = "") -> list:
    """Functions doc -> score: per clause, the BM25F of its words (the best alternative's, for
    "a OR b", so that holding both does not beat holding the rarer one; a phrase's words only
    where they stand together), for a vocabulary entry the best of those and its other
    words, then its services and software. Texts in the other language than `locale` weigh
    less."""
    scorers, offers = [], set()
    for clause in query.clauses:
        expansion = clause.expansion
        weight = 1.0 if expansion is None else NAMED_WEIGHT if expansion.tool else NEED_WEIGHT
        per_alternative = [
            _alternative_scorers(cache, alternative, weight, locale)
            for alternative in clause.alternatives
        ]
        typed = None
        if len(per_alternative) == 1:
            typed = _total(per_alternative[0])
        elif per_alternative:
            typed = _best(per_alternative)
        if expansion is not None and expansion.words:
            # The typed words or the entry's other words, the best of them: "réunions en
            # ligne" and "online meetings" are one piece of evidence with "réunion en ligne".
            scorers.append(_either(typed, DocSet(cache.evidence(expansion))))
        elif typed is not None:
            scorers.append(typed)
        if expansion is not None and (expansion.services, expansion.software) not in offers:
            # Two words of one need ("ordinateur reconditionné") count its services once.
            offers.add((expansion.services, expansion.software))
            scorers += _expansion_scorers(cache, expansion, locale)
    return scorers


def _total(scorers):
    if len(scorers) == 1:
        return scorers[0]
    return lambda doc: sum(s(doc) for s in scorers)


def _either(typed, evidence: DocSet):
    if typed is None:
        return lambda doc: EVIDENCE_SCORE if doc in evidence else 0.0
    return lambda doc: max(typed(doc), EVIDENCE_SCORE if doc in evidence else 0.0)


def _alternative_scorers(cache: FacetCache, alternative, weight: float, locale: str) -> list:
    words = [word for word in alternative.words if not is_stop_word(word)]
    scorers = [_scaled(cache.ranking.scorer(word, locale), weight) for word in words]
    if alternative.phrase and len(words) > 1:
        # "Google Drive" is no evidence in a text that says "Google" (Forms) and "drive" (hard)
        # apart: a document that matched through the entry's services scores its words only
        # where they stand together.
        together = DocSet(cache.alternative_docs(alternative))
        scorers = [_within(scorer, together) for scorer in scorers]
    return scorers


def _within(scorer, docs: DocSet):
    return lambda doc: scorer(doc) if doc in docs else 0.0


def _best(per_alternative):
    return lambda doc: max(sum(s(doc) for s in scorers) for scorers in per_alternative)


def _expansion_scorers(cache: FacetCache, expansion: Expansion, locale: str) -> list:
    """A provider that offers the entry's services counts more the fewer services it offers
    (a specialist); its free software by the best-scoring one (Matrix and Element are one
    offer, not two), a name by its most telling word ("Collabora" rather than "Online")."""
    scorers = []
    services = [DocSet(cache.docs("service", code)) for code in sorted(expansion.services)]
    if services:
        counts = cache.service_counts()

        def service_score(doc, services=services, counts=counts):
            offered = sum(doc in docs for docs in services)
            return SERVICE_SCORE * offered / counts.get(doc, 1) if offered else 0.0

        scorers.append(service_score)
    names = [
        [cache.ranking.scorer(word, locale) for word in _telling_words(name)]
        for name in expansion.software
    ]
    if names:
        scorers.append(
            lambda doc: SOFTWARE_WEIGHT * max(max(s(doc) for s in name) for name in names)
        )
    return scorers


def demote_stale(cache: FacetCache, scorers: list, stale_before: int):
    """One scorer: the sum of `scorers`, times STALE_WEIGHT for an entry last verified before
    the day `stale_before` (or never), so that it needs a clearly better match to come first."""
    stale = cache.stale_docs(stale_before)

    def score(doc: int) -> float:
        total = sum(s(doc) for s in scorers)
        return total * STALE_WEIGHT if doc in stale else total

    return score


def _telling_words(name: str) -> list[str]:
    return [word for word in name.split() if len(word) > 2] or name.split()


def _scaled(scorer, factor: float):
    return lambda doc: scorer(doc) * factor


INF = float("inf")


def distance(cache: FacetCache, distances: dict[str, float]):
    """doc -> km to the nearest département it serves (inf when none has a distance)."""
    served = cache.departements_served()

    def km(doc: int) -> float:
        return min((distances[c] for c in served.get(doc, ()) if c in distances), default=INF)

    return km
