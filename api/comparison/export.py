"""A comparison as one table for CSV and Excel: a row per question, then a row per dimension index.

Question rows carry the tests (paired and unpaired, raw and Holm-adjusted p-values,
effect sizes, why a test was not run) and the shares at each round as text; index rows
carry the means 0–100 and the changes with their 95% confidence intervals.
"""

from collections.abc import Iterator

from api.comparison.models import (
    Change,
    Compared,
    IndexComparison,
    OrganisationComparison,
    QuestionComparison,
    Round,
    TestOutcome,
)
from api.kernel.exports import Cell

HEADER = [
    "section", "name", "label", "type", "dimension",
    "base_n", "base_mean", "base_shares", "salida_n", "salida_mean", "salida_shares", "change",
    "paired_n", "paired_test", "paired_statistic", "paired_p", "paired_p_holm", "paired_effect",
    "paired_effect_size", "paired_change", "paired_ci_low", "paired_ci_high",
    "unpaired_n", "unpaired_test", "unpaired_statistic", "unpaired_p", "unpaired_p_holm", "unpaired_effect",
    "unpaired_effect_size", "unpaired_change", "unpaired_ci_low", "unpaired_ci_high",
    "not_tested",
]


ORGANISATION_HEADER = ["barrio", *HEADER]


def table(found: Compared) -> Iterator[list[Cell]]:
    for question in found.questions:
        yield _question(question)
    for index in [*found.dimensions, found.overall]:
        yield _index(index)


def organisation_table(found: OrganisationComparison, names: dict[int, str]) -> Iterator[list[Cell]]:
    """Each barrio's rows under its name, then the pooled rows under "pooled"."""
    for barrio in found.barrios:
        for row in table(barrio):
            yield [names.get(barrio.barrio_id, str(barrio.barrio_id)), *row]
    if found.pooled is not None:
        for row in table(found.pooled):
            yield ["pooled", *row]


def _shares(round_: Round) -> str:
    return " | ".join(f"{s.option}: {'withheld' if s.count is None else s.count}"
                      f"{'' if s.percent is None else f' ({s.percent}%)'}" for s in round_.shares)


def _test(outcome: TestOutcome) -> list[Cell]:
    return [outcome.n, outcome.test, outcome.statistic, outcome.p_value, outcome.p_holm, outcome.effect_name,
            outcome.effect, None, None, None]


def _question(q: QuestionComparison) -> list[Cell]:
    reasons = [f"{family}: {o.not_tested}" for family, o in (("paired", q.paired), ("unpaired", q.unpaired))
               if o.not_tested]
    return ["question", q.name, q.label, q.type, q.dimension, q.base.n, q.base.mean, _shares(q.base), q.salida.n,
            q.salida.mean, _shares(q.salida), q.change, *_test(q.paired), *_test(q.unpaired), "; ".join(reasons)]


def _change(change: Change) -> list[Cell]:
    return [change.n, None, None, None, None, None, None, change.mean, change.ci_low, change.ci_high]


def _index(index: IndexComparison) -> list[Cell]:
    return ["index", index.dimension, index.label, "index 0-100", index.dimension, index.base.n, index.base.mean,
            None, index.salida.n, index.salida.mean, None, index.change, *_change(index.paired),
            *_change(index.unpaired), None]
