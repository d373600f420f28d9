"""The comparison's statistics against values worked out by hand or taken from textbooks."""

import math

import pytest
from scipy import stats as scipy_stats

from api.comparison import stats


def _test(outcome: stats.Result | stats.NotTested) -> stats.Result:
    assert isinstance(outcome, stats.Result), outcome
    return outcome


def test_wilcoxon_with_ties_and_zero_differences_matches_the_hand_computation() -> None:
    before = [3, 2, 1, 4, 3, 1, 2, 5, 3, 4]
    after = [4, 3, 3, 3, 3, 4, 4, 5, 4, 2]  # differences 1 1 2 -1 0 3 2 0 1 -2
    # Zeros dropped: 8 differences; |d| = 1 (x4, ranks 1-4 -> 2.5), 2 (x3, ranks 5-7 -> 6), 3 (rank 8).
    # W+ = 3 * 2.5 + 2 * 6 + 8 = 27.5, W- = 2.5 + 6 = 8.5; the statistic is the smaller.
    # Normal approximation: mean 8*9/4 = 18; variance 8*9*17/24 - ((4^3-4) + (3^3-3))/48 = 51 - 1.75.
    found = _test(stats.wilcoxon_signed_rank(before, after))
    assert found.name == "wilcoxon"
    assert found.statistic == 8.5
    assert found.p_value == pytest.approx(math.erfc((18 - 8.5) / math.sqrt(49.25) / math.sqrt(2)))
    assert found.p_value == pytest.approx(0.17583, abs=1e-5)
    assert found.effect == pytest.approx((27.5 - 8.5) / 36)


def test_wilcoxon_without_ties_is_exact() -> None:
    # d = 1 -2 3 4 5: W- = 2; subsets of ranks 1..5 summing to <= 2: {}, {1}, {2}: 3/32 each tail.
    found = _test(stats.wilcoxon_signed_rank([0, 2, 0, 0, 0], [1, 0, 3, 4, 5]))
    assert (found.statistic, found.p_value) == (2.0, pytest.approx(6 / 32))
    assert found.effect == pytest.approx((13 - 2) / 15)


def test_wilcoxon_is_not_run_when_nobody_changed() -> None:
    nobody = stats.NotTested("every pair gave the same answer at both rounds", "same_pairs")
    assert stats.wilcoxon_signed_rank([3, 4, 5], [3, 4, 5]) == nobody


def test_mcnemar_on_a_2x2_table() -> None:
    # Agresti, Categorical Data Analysis: approval of the prime minister, 1600 people asked twice:
    # 794 approve both times, 150 only the first, 86 only the second, 570 neither.
    found = _test(stats.mcnemar(794, 150, 86, 570))
    assert found.name == "mcnemar" and found.df == 1
    assert found.statistic == pytest.approx((150 - 86 - 1) ** 2 / 236)  # 16.82 with the continuity correction
    assert found.p_value == pytest.approx(scipy_stats.chi2.sf(16.8178, 1), rel=1e-4)
    assert found.effect == pytest.approx((86 - 150) / 1600)  # approval fell 4 points


def test_mcnemar_exact_under_25_discordant_pairs() -> None:
    # 5 stopped saying yes, 15 started: two-sided binomial p = 2 * sum_{k<=5} C(20, k) / 2^20.
    found = _test(stats.mcnemar(20, 5, 15, 10))
    assert found.name == "mcnemar_exact"
    assert found.p_value == pytest.approx(2 * (1 + 20 + 190 + 1140 + 4845 + 15504) / 2**20)
    assert found.effect == pytest.approx(10 / 50)
    assert stats.mcnemar(10, 0, 0, 5) == stats.NotTested("no vecino changed their answer between the rounds",
                                                         "nobody_changed")


def test_stuart_maxwell_reduces_to_mcnemar_on_two_categories_and_matches_a_3x3_by_hand() -> None:
    two = _test(stats.stuart_maxwell([[794, 150], [86, 570]]))
    assert two.statistic == pytest.approx((150 - 86) ** 2 / 236)  # McNemar without the correction
    # Rows 9 9 5, columns 6 10 7: d = (3, -1); S = [[5, -4], [-4, 7]], det 19, S^-1 = [[7, 4], [4, 5]] / 19;
    # d' S^-1 d = (7*9 - 2*4*3 + 5*1) / 19 = 44/19; with 2 df the p-value is exp(-x/2).
    three = _test(stats.stuart_maxwell([[5, 3, 1], [1, 6, 2], [0, 1, 4]]))
    assert (three.statistic, three.df) == (pytest.approx(44 / 19), 2)
    assert three.p_value == pytest.approx(math.exp(-22 / 19))
    assert isinstance(stats.stuart_maxwell([[4, 0], [0, 6]]), stats.NotTested)


def test_mann_whitney_with_ties_matches_the_hand_computation() -> None:
    before, after = [1, 2, 2, 3], [2, 3, 4, 5]
    # U(after) = pairs after > before + half the ties: 2 + 3.5 + 4 + 4 = 13.5 of 16.
    # Ties among the 8: three 2s, two 3s: variance 16/12 * (9 - (24 + 6)/56); continuity correction 0.5.
    found = _test(stats.mann_whitney(before, after))
    assert found.statistic == 13.5
    assert found.effect == pytest.approx(2 * 13.5 / 16 - 1)
    z = (13.5 - 8 - 0.5) / math.sqrt(16 / 12 * (9 - 30 / 56))
    assert found.p_value == pytest.approx(math.erfc(z / math.sqrt(2)))


def test_chi_square_and_fisher_for_small_counts() -> None:
    # 2x2 [[10, 20], [30, 40]]: expected 12 18 28 42, chi-square = 4/12 + 4/18 + 4/28 + 4/42.
    large = _test(stats.contingency([10, 20], [30, 40]))
    assert large.name == "chi_square" and large.df == 1
    assert large.statistic == pytest.approx(4 / 12 + 4 / 18 + 4 / 28 + 4 / 42)
    assert large.effect == pytest.approx(math.sqrt(large.statistic / 100))
    # Fisher's tea-tasting lady: 3 of 4 cups right, two-sided p = 34/70.
    small = _test(stats.contingency([3, 1], [1, 3]))
    assert small.name == "fisher_exact"
    assert small.p_value == pytest.approx(34 / 70)
    assert isinstance(stats.contingency([4, 0], [6, 0]), stats.NotTested)


def test_holm_adjusts_step_down_and_keeps_the_order() -> None:
    # Sorted 0.005 0.01 0.03 0.04 -> x4 x3 x2 x1 = 0.02 0.03 0.06 0.04, made monotone: 0.06 for the last.
    assert stats.holm([0.01, 0.04, 0.03, 0.005]) == pytest.approx([0.03, 0.06, 0.06, 0.02])
    assert stats.holm([0.5, 0.9]) == [1.0, 1.0]
    assert stats.holm([]) == []


def test_confidence_intervals() -> None:
    # Mean 20, sd 10, n 3: 20 ± t(0.975, 2) * 10/sqrt(3), t = 4.302653.
    interval = stats.mean_interval([10, 20, 30])
    assert interval is not None
    assert interval.low == pytest.approx(20 - 24.8414, abs=1e-3)
    assert interval.high == pytest.approx(20 + 24.8414, abs=1e-3)
    assert stats.mean_interval([5]) is None
    # Equal variances and sizes: Welch's df = 2(n-1) = 4; 10 ± t(0.975, 4) * sqrt(2 * 100/3), t = 2.776445.
    welch = stats.difference_interval([10, 20, 30], [20, 30, 40])
    assert welch is not None and welch.estimate == 10
    assert welch.high == pytest.approx(10 + 2.776445 * math.sqrt(200 / 3), abs=1e-4)
