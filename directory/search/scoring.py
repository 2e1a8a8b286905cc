"""How a page of hits is ordered: score vectors over every document, summed for relevance,
and each provider's distance from the visitor for the "near me" order."""

import numpy as np

from directory.search import docsets
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
# The "recommended by associations" order multiplies a provider's text relevance by
# 1 + RECOMMEND_BOOST x its confidence (models.recommendations: the Wilson lower bound of
# the share of its published testimonials that recommend it, 0 below 3 testimonials, under
# 1): at most half as much again, so that testimonials reorder providers that match the
# words about equally and never lift a passing mention above a provider the words are about
# (its name's BM25F score is several times a description's). Without words, the providers
# with a confidence come first, highest first, then the others, by name.
RECOMMEND_BOOST = 0.5


def scorers(cache: FacetCache, query: ParsedQuery, locale: str = "") -> list[np.ndarray]:
    """Score vectors over every document, to be summed: per clause, the BM25F of its words
    (the best alternative's, for "a OR b", so that holding both does not beat holding the
    rarer one; a phrase's words only where they stand together), for a vocabulary entry the
    best of those and its other words, then its services and software. Texts in the other
    language than `locale` weigh less."""
    scorers, offers = [], set()
    for clause in query.clauses:
        expansion = clause.expansion
        weight = 1.0 if expansion is None else NAMED_WEIGHT if expansion.tool else NEED_WEIGHT
        per_alternative = [
            _alternative_scores(cache, alternative, weight, locale)
            for alternative in clause.alternatives
        ]
        per_alternative = [scores for scores in per_alternative if scores is not None]
        typed = None
        if per_alternative:
            typed = per_alternative[0]
            for scores in per_alternative[1:]:
                typed = np.maximum(typed, scores)
        if expansion is not None and expansion.words:
            # The typed words or the entry's other words, the best of them: "réunions en
            # ligne" and "online meetings" are one piece of evidence with "réunion en ligne".
            evidence = EVIDENCE_SCORE * _mask(cache, cache.evidence(expansion))
            scorers.append(evidence if typed is None else np.maximum(typed, evidence))
        elif typed is not None:
            scorers.append(typed)
        if expansion is not None and (expansion.services, expansion.software) not in offers:
            # Two words of one need ("ordinateur reconditionné") count its services once.
            offers.add((expansion.services, expansion.software))
            scorers += _expansion_scores(cache, expansion, locale)
    return scorers


def total(scorers: list[np.ndarray]) -> np.ndarray | None:
    """The sum of score vectors, added in order (None when there is none)."""
    if not scorers:
        return None
    result = scorers[0]
    for scores in scorers[1:]:
        result = result + scores
    return result


def _mask(cache: FacetCache, bits: int) -> np.ndarray:
    return docsets.mask(bits, cache.ranking.size)


def _alternative_scores(cache: FacetCache, alternative, weight: float, locale: str):
    """The sum of an alternative's words' scores (None when it has only stop words)."""
    words = [word for word in alternative.words if not is_stop_word(word)]
    scores = total([cache.ranking.scores(word, locale) * weight for word in words])
    if scores is not None and alternative.phrase and len(words) > 1:
        # "Google Drive" is no evidence in a text that says "Google" (Forms) and "drive" (hard)
        # apart: a document that matched through the entry's services scores its words only
        # where they stand together.
        scores = scores * _mask(cache, cache.alternative_docs(alternative))
    return scores


def _expansion_scores(cache: FacetCache, expansion: Expansion, locale: str) -> list:
    """A provider that offers the entry's services counts more the fewer services it offers
    (a specialist); its free software by the best-scoring one (Matrix and Element are one
    offer, not two), a name by its most telling word ("Collabora" rather than "Online")."""
    scorers = []
    services = [_mask(cache, cache.docs("service", code)) for code in sorted(expansion.services)]
    if services:
        offered = total([docs.astype(np.float64) for docs in services])
        scorers.append(SERVICE_SCORE * offered / cache.service_counts())
    names = [
        [cache.ranking.scores(word, locale) for word in _telling_words(name)]
        for name in expansion.software
    ]
    if names:
        best = np.maximum.reduce([np.maximum.reduce(words) for words in names])
        scorers.append(SOFTWARE_WEIGHT * best)
    return scorers


def demote_stale(cache: FacetCache, scores: np.ndarray, stale_before: int) -> np.ndarray:
    """`scores` times STALE_WEIGHT for an entry last verified before the day `stale_before`
    (or never), so that it needs a clearly better match to come first."""
    stale = _mask(cache, cache.stale_docs(stale_before).bits)
    return np.where(stale, scores * STALE_WEIGHT, scores)


def recommended(cache: FacetCache, scores: np.ndarray) -> np.ndarray:
    """`scores` weighed by each provider's confidence (see RECOMMEND_BOOST)."""
    return scores * (1.0 + RECOMMEND_BOOST * cache.confidence())


def _telling_words(name: str) -> list[str]:
    return [word for word in name.split() if len(word) > 2] or name.split()


INF = float("inf")


def distance(cache: FacetCache, distances: dict[str, float]):
    """doc -> km to the nearest département it serves (inf when none has a distance)."""
    served = cache.departements_served()

    def km(doc: int) -> float:
        return min((distances[c] for c in served.get(doc, ()) if c in distances), default=INF)

    return km
