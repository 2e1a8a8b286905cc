"""What a provider's published testimonials add up to: the honest figures cards, pages, the
search's "recommended" filter and its sort read, declared once.

Below MIN_FOR_A_COUNT published testimonials nothing is summed up: no "N recommend", no
"recommended by associations", no boost in the search (one or two opinions are not a
trend, and one loud testimonial must never outweigh what a provider's texts say). From
there, the sort reads the lower bound of the Wilson score interval of the share that
recommends (95 %): 3 of 3 gives 0.44, 10 of 10 gives 0.72, 100 of 100 gives 0.96, so a
share counts for more the more testimonials back it.
"""

import math
from dataclasses import dataclass

# Below this many published testimonials, no figure is shown or used.
MIN_FOR_A_COUNT = 3
# The normal quantile of the Wilson interval: 1.96 for 95 % confidence.
WILSON_Z = 1.96


def wilson_lower_bound(recommending: int, total: int, z: float = WILSON_Z) -> float:
    """The lower bound of the Wilson score interval of recommending / total (0 when no
    testimonial)."""
    if total <= 0:
        return 0.0
    share = recommending / total
    z2 = z * z
    centre = share + z2 / (2 * total)
    margin = z * math.sqrt(share * (1 - share) / total + z2 / (4 * total * total))
    # Clamped: rounding leaves 1e-17 where the share is 0.
    return min(share, max(0.0, (centre - margin) / (1 + z2 / total)))


@dataclass(frozen=True)
class Recommendations:
    """How many published testimonials a provider has, and how many of them recommend it."""

    total: int = 0
    recommending: int = 0

    @property
    def token(self) -> str:
        """ "<total>/<recommending>": how the search index holds them (see from_token)."""
        return f"{self.total}/{self.recommending}"

    @classmethod
    def from_token(cls, token: str) -> "Recommendations":
        total, _slash, recommending = token.partition("/")
        return cls(int(total), int(recommending))

    @property
    def shows_count(self) -> bool:
        """Whether "N recommend" may be shown: from MIN_FOR_A_COUNT testimonials on."""
        return self.total >= MIN_FOR_A_COUNT

    @property
    def recommended(self) -> bool:
        """ "Recommended by associations" (the search's filter): at least MIN_FOR_A_COUNT
        published testimonials, and more than half of them recommend the provider."""
        return self.shows_count and 2 * self.recommending > self.total

    @property
    def confidence(self) -> float:
        """What the "recommended" sort weighs a provider's text match with: the Wilson lower
        bound of the share that recommends, 0 below MIN_FOR_A_COUNT testimonials."""
        return wilson_lower_bound(self.recommending, self.total) if self.shows_count else 0.0
