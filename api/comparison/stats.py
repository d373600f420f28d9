"""The tests behind a comparison of two rounds, each returning a `Result` or the reason it was not run.

scipy computes the distributions and the tests it has (Wilcoxon, Mann–Whitney, the exact
binomial, chi-square, Fisher); what scipy lacks (Stuart–Maxwell, Holm, the effect sizes)
is written here from its textbook formula. Everything is a function of plain sequences,
checked against hand-worked values in tests/api/test_comparison_stats.py.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats

EXACT_MCNEMAR_BELOW = 25  # discordant pairs; fewer and the chi-square approximation is poor
EXPECTED_AT_LEAST = 5  # expected count per cell for the chi-square test; below it, Fisher's exact test
FISHER_AT_MOST = 500  # answers; a larger r×c table with a small expected count stays a chi-square


@dataclass(frozen=True)
class Result:
    name: str
    statistic: float
    p_value: float
    effect_name: str
    effect: float | None
    df: int | None = None


@dataclass(frozen=True)
class NotTested:
    reason: str  # in English, for API users
    code: str  # the same reason as a code the console translates (api/comparison/models.py: NOT_TESTED)


Outcome = Result | NotTested


def wilcoxon_signed_rank(before: Sequence[float], after: Sequence[float]) -> Outcome:
    """Paired ordinal change. Zero differences are dropped (Wilcoxon's convention); the p-value is
    exact without ties or zeros up to 50 pairs, else the normal approximation with the tie
    correction. Effect: the matched-pairs rank-biserial correlation (positive: higher after)."""
    differences = np.asarray(after, dtype=float) - np.asarray(before, dtype=float)
    nonzero = differences[differences != 0]
    if nonzero.size == 0:
        return NotTested("every pair gave the same answer at both rounds", "same_pairs")
    ranks = stats.rankdata(np.abs(nonzero))
    ties = len(np.unique(np.abs(nonzero))) < nonzero.size
    exact = not ties and nonzero.size == differences.size and nonzero.size <= 50
    result = stats.wilcoxon(nonzero, zero_method="wilcox", method="exact" if exact else "asymptotic")
    positive, negative = ranks[nonzero > 0].sum(), ranks[nonzero < 0].sum()
    return Result("wilcoxon", float(result.statistic), float(result.pvalue), "rank_biserial",
                float((positive - negative) / (positive + negative)))


def mcnemar(both: int, only_before: int, only_after: int, neither: int) -> Outcome:
    """Paired yes/no change from the 2×2 table. Exact (binomial) below 25 discordant pairs, else
    chi-square with the continuity correction. Effect: the change in the share of "yes"."""
    discordant = only_before + only_after
    n = both + only_before + only_after + neither
    if discordant == 0:
        return NotTested("no vecino changed their answer between the rounds", "nobody_changed")
    effect = (only_after - only_before) / n
    if discordant < EXACT_MCNEMAR_BELOW:
        p = stats.binomtest(only_before, discordant, 0.5).pvalue
        return Result("mcnemar_exact", float(only_before), float(p), "risk_difference", effect)
    statistic = (abs(only_before - only_after) - 1) ** 2 / discordant
    return Result("mcnemar", statistic, float(stats.chi2.sf(statistic, 1)), "risk_difference", effect, df=1)


def stuart_maxwell(table: Sequence[Sequence[int]]) -> Outcome:
    """Marginal homogeneity of a square paired table (rows: before, columns: after) over k categories,
    chi-square with k-1 degrees of freedom. Categories nobody chose at either round are dropped.
    Effect: none has a common reading, so it is left empty."""
    counts = np.asarray(table, dtype=float)
    used = (counts.sum(axis=0) + counts.sum(axis=1)) > 0
    counts = counts[np.ix_(used, used)]
    k = counts.shape[0]
    if k < 2:
        return NotTested("every answer was the same category", "one_category")
    rows, columns = counts.sum(axis=1), counts.sum(axis=0)
    d = (rows - columns)[:-1]
    s = -(counts + counts.T)[:-1, :-1]
    np.fill_diagonal(s, (rows + columns - 2 * np.diag(counts))[:-1])
    try:
        statistic = float(d @ np.linalg.solve(s, d))
    except np.linalg.LinAlgError:
        return NotTested("no vecino changed their answer between the rounds", "nobody_changed")
    return Result("stuart_maxwell", statistic, float(stats.chi2.sf(statistic, k - 1)), "none", None, df=k - 1)


def mann_whitney(before: Sequence[float], after: Sequence[float]) -> Outcome:
    """Unpaired ordinal change (two-sided, scipy's automatic exact / normal choice with the tie and
    continuity corrections). Effect: the rank-biserial correlation (positive: higher after)."""
    if len(set(before) | set(after)) < 2:
        return NotTested("every answer was the same", "all_same")
    result = stats.mannwhitneyu(after, before, alternative="two-sided")
    return Result("mann_whitney", float(result.statistic), float(result.pvalue), "rank_biserial",
                float(2 * result.statistic / (len(before) * len(after)) - 1))


def contingency(before: Sequence[int], after: Sequence[int]) -> Outcome:
    """Unpaired categorical change from the counts per category at each round: Pearson's chi-square
    (no continuity correction) or, when an expected count is under 5, Fisher's exact test.
    Effect: Cramér's V."""
    table = np.asarray([before, after], dtype=float)
    table = table[:, table.sum(axis=0) > 0]
    if table.shape[1] < 2:
        return NotTested("every answer was the same category", "one_category")
    chi2, p, df, expected = stats.chi2_contingency(table, correction=False)
    n = table.sum()
    cramers_v = math.sqrt(chi2 / (n * (min(table.shape) - 1)))
    if expected.min() < EXPECTED_AT_LEAST and (table.shape[1] == 2 or n <= FISHER_AT_MOST):
        exact = stats.fisher_exact(table.astype(int))
        return Result("fisher_exact", float(exact.statistic), float(exact.pvalue), "cramers_v", cramers_v)
    return Result("chi_square", float(chi2), float(p), "cramers_v", cramers_v, df=int(df))


def holm(p_values: Sequence[float]) -> list[float]:
    """Holm's step-down adjustment, in the order given."""
    m = len(p_values)
    adjusted = [0.0] * m
    running = 0.0
    for rank, index in enumerate(sorted(range(m), key=lambda i: p_values[i])):
        running = max(running, min(1.0, (m - rank) * p_values[index]))
        adjusted[index] = running
    return adjusted


@dataclass(frozen=True)
class Interval:
    estimate: float
    low: float
    high: float


def mean_interval(values: Sequence[float], level: float = 0.95) -> Interval | None:
    """The mean with its t-based confidence interval (None under two values)."""
    if len(values) < 2:
        return None
    array = np.asarray(values, dtype=float)
    mean, error = float(array.mean()), float(array.std(ddof=1) / math.sqrt(array.size))
    half = float(stats.t.ppf((1 + level) / 2, array.size - 1)) * error
    return Interval(mean, mean - half, mean + half)


def difference_interval(before: Sequence[float], after: Sequence[float], level: float = 0.95) -> Interval | None:
    """after − before between two independent groups, with Welch's confidence interval."""
    if len(before) < 2 or len(after) < 2:
        return None
    a, b = np.asarray(after, dtype=float), np.asarray(before, dtype=float)
    va, vb = a.var(ddof=1) / a.size, b.var(ddof=1) / b.size
    difference = float(a.mean() - b.mean())
    if va + vb == 0:
        return Interval(difference, difference, difference)
    df = (va + vb) ** 2 / (va**2 / (a.size - 1) + vb**2 / (b.size - 1))
    half = float(stats.t.ppf((1 + level) / 2, df)) * math.sqrt(va + vb)
    return Interval(difference, difference - half, difference + half)
