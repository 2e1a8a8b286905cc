"""The benchmark table says which of issue 13's targets a run met, at the size each names."""

from bench.report import DISTINCT_RATIO, PAGE_P50, PROVIDER_P50, verdict


def test_a_target_is_judged_only_at_its_size():
    assert verdict(10_000, 4.9, PAGE_P50) == " met"
    assert verdict(10_000, 5.1, PAGE_P50) == " NOT met"
    assert verdict(1_000, 50.0, PAGE_P50) == ""
    assert verdict(10_000, 3.0, PROVIDER_P50) == " met"


def test_a_throughput_target_is_a_floor():
    assert verdict(10_000, 0.15, DISTINCT_RATIO) == " met"
    assert verdict(10_000, 0.149, DISTINCT_RATIO) == " NOT met"
