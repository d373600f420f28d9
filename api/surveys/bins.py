"""A numeric question's histogram: the numbers given, counted in a few bins of a round width.

Whole numbers over a short range (ages of children, a 0–10 rating) get one bin per number;
otherwise about Sturges' count of bins (5 to 12), each of a width of 1, 2 or 5 times a power of
ten (2.5 too for decimals), starting at a multiple of the width: 20–40, 40–60 rather than
17,3–35,1. A bin holds `low <= x < high`; the numbers come from the grouped counts of results.py.
"""

import math
from collections import Counter

from api.surveys.models import Bin

UNIT_BINS = 12  # whole numbers spanning fewer than this many values: one bin each
FEWEST, MOST = 5, 12


def histogram(numbers: Counter[float]) -> list[Bin]:
    """The bins of these numbers (value: how many gave it), from the lowest to the highest; [] without any."""
    given = +numbers
    if not given:
        return []
    low, high = min(given), max(given)
    whole = all(float(value).is_integer() for value in given)
    if whole and high - low < UNIT_BINS:
        width = 1.0
    else:
        total = sum(given.values())
        wanted = min(MOST, max(FEWEST, math.ceil(math.log2(total)) + 1))
        width = _round_width((high - low) / wanted, whole)
    start = math.floor(low / width) * width
    count = math.floor((high - start) / width) + 1
    held = [0] * count
    for value, n in given.items():
        held[min(count - 1, math.floor((value - start) / width))] += n
    return [Bin(low=_tidy(start + i * width), high=_tidy(start + (i + 1) * width), count=n)
            for i, n in enumerate(held)]


def _round_width(raw: float, whole: bool) -> float:
    """The smallest round width at least `raw`: 1, 2 or 5 (and 2.5 for decimals) times a power of ten."""
    if raw <= 0:
        return 1.0
    power = 10.0 ** math.floor(math.log10(raw))
    steps = (1, 2, 5, 10) if whole else (1, 2, 2.5, 5, 10)
    width = next(step * power for step in steps if step * power >= raw * (1 - 1e-9))
    return max(width, 1.0) if whole else width


def _tidy(edge: float) -> float:
    """An edge without the float noise of adding widths (0.30000000000000004 -> 0.3)."""
    return round(edge, 10)
