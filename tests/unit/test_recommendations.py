"""The rule that sums up a provider's testimonials: no figure, no filter and no boost below
three; a share counts for more the more testimonials back it."""

import pytest

from directory.models.recommendations import MIN_FOR_A_COUNT, Recommendations, wilson_lower_bound


@pytest.mark.parametrize("total", range(MIN_FOR_A_COUNT))
def test_below_three_testimonials_nothing_is_summed_up(total):
    counts = Recommendations(total, total)
    assert not counts.shows_count
    assert not counts.recommended
    assert counts.confidence == 0.0


def test_recommended_means_at_least_three_of_which_most_recommend():
    assert Recommendations(3, 2).recommended
    assert Recommendations(3, 3).recommended
    assert not Recommendations(3, 1).recommended
    assert not Recommendations(4, 2).recommended  # half is not most
    assert Recommendations(4, 3).recommended


def test_the_confidence_grows_with_the_number_of_testimonials_that_back_a_share():
    three, ten, hundred = (Recommendations(n, n).confidence for n in (3, 10, 100))
    assert 0 < three < ten < hundred < 1
    assert three == pytest.approx(0.4385, abs=1e-4)
    assert ten == pytest.approx(0.7225, abs=1e-4)
    # 9 of 10 is worth less than 10 of 10, and more than 3 of 3.
    assert three < Recommendations(10, 9).confidence < ten
    assert Recommendations(5, 0).confidence == 0.0


def test_the_wilson_bound_stays_between_zero_and_the_share():
    for total in range(1, 30):
        for recommending in range(total + 1):
            bound = wilson_lower_bound(recommending, total)
            assert 0.0 <= bound <= recommending / total
    assert wilson_lower_bound(0, 0) == 0.0


def test_the_index_token_reads_back():
    assert Recommendations.from_token(Recommendations(12, 7).token) == Recommendations(12, 7)
