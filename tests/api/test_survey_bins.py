"""A numeric question's histogram: round bins that hold every number given, once."""

from collections import Counter

from api.surveys.bins import histogram


def _bins(numbers: Counter[float]) -> list[tuple[float, float, int]]:
    return [(one.low, one.high, one.count) for one in histogram(numbers)]


def test_whole_numbers_close_together_get_a_bin_each_even_the_empty_ones() -> None:
    assert _bins(Counter({0: 2, 1: 1, 3: 4})) == [(0, 1, 2), (1, 2, 1), (2, 3, 0), (3, 4, 4)]


def test_a_wide_range_gets_a_few_bins_of_a_round_width() -> None:
    ages = Counter({20: 1, 23: 1, 41: 1, 45: 1, 47: 1, 80: 1})
    assert _bins(ages) == [(20, 40, 2), (40, 60, 3), (60, 80, 0), (80, 100, 1)]


def test_many_answers_get_more_bins_and_none_is_lost() -> None:
    incomes = Counter({float(v): 3 for v in range(0, 1_000_000, 7919)})
    bins = histogram(incomes)
    assert 5 <= len(bins) <= 13 and sum(one.count for one in bins) == sum(incomes.values())
    widths = {one.high - one.low for one in bins}
    assert widths == {100_000}  # 1, 2 or 5 times a power of ten
    assert all(one.low % 100_000 == 0 for one in bins)


def test_decimals_get_edges_without_float_noise() -> None:
    bins = _bins(Counter({0.1: 1, 0.35: 2, 1.2: 1}))
    assert bins == [(0.0, 0.25, 1), (0.25, 0.5, 2), (0.5, 0.75, 0), (0.75, 1.0, 0), (1.0, 1.25, 1)]


def test_one_number_is_one_bin_and_nothing_is_no_bin() -> None:
    assert _bins(Counter({7: 3})) == [(7, 8, 3)]
    assert _bins(Counter({2.5: 2})) == [(2, 3, 2)]  # a round bin around it
    assert histogram(Counter()) == [] and histogram(Counter({5: 0})) == []
