"""The page of a ranking: the best scores first, ties by document number, as a full sort."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from directory.search.ranking import top


@given(
    st.lists(st.sampled_from([0.0, 0.5, 1.0, 2.25, 7.0]), max_size=60),
    st.integers(min_value=0, max_value=30),
    st.integers(min_value=0, max_value=70),
)
def test_top_is_a_slice_of_the_full_order(values, start, stop):
    docs = np.arange(len(values)) * 3 + 1  # document numbers need not be contiguous
    scores = np.array(values, dtype=np.float64)
    expected = [doc for _score, doc in sorted(zip(-scores, docs.tolist(), strict=True))][start:stop]
    assert top(docs, scores, start, stop) == expected
