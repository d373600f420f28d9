"""Two rounds of the same questions compared: per question, per dimension index, and overall.

Pure: it takes each round's form and answers per question keyed by an opaque respondent key
(the member, so a vecino who answered both rounds is a pair) and returns aggregates only. A question is
compared when both rounds ask it (same name) in a comparable way; its answers are tested
paired over the vecinos who answered it at both rounds and unpaired over those who answered
it at one round only, each family of p-values adjusted with Holm.
"""

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from statistics import fmean
from typing import Any

from api.comparison.instrument import DIMENSION_LABELS, DIMENSION_OF, DIMENSIONS
from api.comparison.models import (
    Change,
    IndexComparison,
    QuestionComparison,
    Round,
    Share,
    Skipped,
    TestOutcome,
)
from api.comparison.stats import (
    NotTested,
    Outcome,
    Result,
    contingency,
    difference_interval,
    holm,
    mann_whitney,
    mcnemar,
    mean_interval,
    stuart_maxwell,
    wilcoxon_signed_rank,
)
from conversations.surveys.form import Form
from conversations.surveys.questions import Question

MIN_PAIRS = 10  # fewer pairs (or respondents per group, unpaired) and a question is shown without a test
YES = ("si", "sí", "yes", "true", "1")
SKIPPED_TYPES = {"text": ("free_text", "free text is not compared"), "date": ("date", "dates are not compared"),
                 "select_multiple": ("select_multiple", "multiple-choice questions are not compared")}
Answers = Mapping[str, Mapping[str, Any]]  # question name -> respondent key -> value (None: skipped)


@dataclass(frozen=True)
class RoundData:
    form: Form
    answers: Answers

    @property
    def respondents(self) -> set[str]:
        return {respondent for given in self.answers.values() for respondent in given}


@dataclass
class _Compared:
    question: Question
    kind: str  # scale, yes_no, categorical, numeric
    options: list[tuple[str, dict[str, str]]]  # (code, labels) for scale, yes_no and categorical
    dimension: str | None
    scores: dict[Any, float] = field(default_factory=dict)  # answer -> 0-100, for the index


@dataclass(frozen=True)
class Compared:
    questions: list[QuestionComparison]
    dimensions: list[IndexComparison]
    overall: IndexComparison
    skipped: list[Skipped]
    pairs: int


def dimensions_of(*definitions: Mapping[str, Any]) -> dict[str, str]:
    """Question name -> dimension: a stored definition's own `dimension`, else the built-in instrument's."""
    found = dict(DIMENSION_OF)
    for definition in definitions:
        for question in definition.get("questions") or []:
            if isinstance(question, Mapping) and question.get("dimension") and question.get("name"):
                found[str(question["name"])] = str(question["dimension"])
    return found


def compare(base: RoundData, salida: RoundData, dimensions: Mapping[str, str], *, locale: str,
            min_cell: int) -> Compared:
    compared, skipped = _matching(base.form, salida.form, dimensions)
    pairs = len(base.respondents & salida.respondents)
    values = [(_values(base.answers, item), _values(salida.answers, item)) for item in compared]
    questions = [_question(item, before, after, locale, min_cell) for item, (before, after) in zip(
        compared, values, strict=True)]
    for family in ("paired", "unpaired"):
        outcomes = [getattr(q, family) for q in questions if getattr(q, family).p_value is not None]
        for outcome, adjusted in zip(outcomes, holm([o.p_value for o in outcomes]), strict=True):
            outcome.p_holm = adjusted
    indexed = [(item, pair) for item, pair in zip(compared, values, strict=True)
               if item.dimension and item.kind in ("scale", "yes_no")]
    base_scores = _indexes([(item, before) for item, (before, _) in indexed])
    salida_scores = _indexes([(item, after) for item, (_, after) in indexed])
    dimensions_out = [
        _index(code, _dimension_label(code, locale), sum(1 for item, _ in indexed if item.dimension == code),
               {k: v[code] for k, v in base_scores.items() if code in v},
               {k: v[code] for k, v in salida_scores.items() if code in v}, min_cell)
        for code in _ordered({item.dimension for item, _ in indexed if item.dimension})
    ]
    overall = _index("overall", {"es": "Índice general", "ht": "Endis jeneral", "en": "Overall index"}.get(
        locale, "Índice general"), len(indexed), {k: fmean(v.values()) for k, v in base_scores.items()},
        {k: fmean(v.values()) for k, v in salida_scores.items()}, min_cell)
    return Compared(questions, dimensions_out, overall, skipped, pairs)


def _matching(base: Form, salida: Form, dimensions: Mapping[str, str]) -> tuple[list[_Compared], list[Skipped]]:
    """The questions both rounds ask comparably, in the línea de salida's order, and why others are left out."""
    before = {q.name: q for q in base.asked}
    compared, skipped = [], []
    for question in salida.asked:
        earlier = before.pop(question.name, None)
        if earlier is None:
            skipped.append(Skipped(name=question.name, code="not_in_base", reason="not asked in the línea base"))
        elif question.type in SKIPPED_TYPES:
            code, reason = SKIPPED_TYPES[question.type]
            skipped.append(Skipped(name=question.name, code=code, reason=reason))
        elif _family(earlier.type) != _family(question.type):
            skipped.append(Skipped(name=question.name, code="type_changed", base_type=earlier.type,
                                   salida_type=question.type,
                                   reason=f"asked as {earlier.type} in the línea base "
                                          f"and as {question.type} in the línea de salida"))
        else:
            compared.append(_describe(earlier, question, dimensions.get(question.name)))
    skipped.extend(Skipped(name=name, code="not_in_salida", reason="not asked in the línea de salida")
                   for name in before)
    return compared, skipped


def _family(kind: str) -> str:
    return "numeric" if kind in ("integer", "decimal") else kind


def _describe(earlier: Question, question: Question, dimension: str | None) -> _Compared:
    if question.type == "scale":
        return _Compared(question, "scale", [(str(n), {}) for n in range(1, 6)], dimension,
                         {n: (n - 1) * 25.0 for n in range(1, 6)})
    if question.type in ("integer", "decimal"):
        return _Compared(question, "numeric", [], dimension)
    options = {c.name: dict(c.label) for c in earlier.choices} | {c.name: dict(c.label) for c in question.choices}
    listed = list(options.items())
    if len(listed) != 2:
        return _Compared(question, "categorical", listed, dimension)
    yes = next((code for code, _ in listed if code.lower() in YES), listed[0][0])
    return _Compared(question, "yes_no", sorted(listed, key=lambda o: o[0] != yes), dimension,
                     {code: 100.0 if code == yes else 0.0 for code in options})


def _values(answers: Answers, item: _Compared) -> dict[str, Any]:
    """Respondent -> usable answer to the question: 1-5 for a scale, a number, or a choice's code."""
    given = answers.get(item.question.name, {})
    if item.kind == "numeric":
        return {respondent: float(value) for respondent, value in given.items()
                if isinstance(value, int | float) and not isinstance(value, bool)}
    accepted: dict[Any, Any] = ({n: n for n in range(1, 6)} if item.kind == "scale"
                                else {code: code for code, _ in item.options})
    try:
        return {respondent: found for respondent, value in given.items()
                if (found := accepted.get(value, _NONE)) is not _NONE}
    except TypeError:  # a list or mapping where a single answer was expected: the slow, careful way
        return {respondent: accepted[value] for respondent, value in given.items()
                if not isinstance(value, list | dict) and value in accepted}


_NONE = object()


def _question(item: _Compared, before: dict[str, Any], after: dict[str, Any], locale: str,
              min_cell: int) -> QuestionComparison:
    first, second = _round(item, list(before.values()), locale, min_cell), _round(
        item, list(after.values()), locale, min_cell)
    change = None
    if item.kind in ("scale", "numeric") and first.mean is not None and second.mean is not None:
        change = round(second.mean - first.mean, 2)
    elif item.kind == "yes_no" and first.shares[0].percent is not None and second.shares[0].percent is not None:
        change = round(second.shares[0].percent - first.shares[0].percent, 1)
    both = sorted(set(before) & set(after))
    return QuestionComparison(
        name=item.question.name, label=_pick(item.question.label, locale), type=item.kind,
        dimension=item.dimension, base=first, salida=second, change=change,
        paired=_paired(item, [before[k] for k in both], [after[k] for k in both]),
        unpaired=_unpaired(item, [v for k, v in before.items() if k not in after],
                           [v for k, v in after.items() if k not in before]))


def _round(item: _Compared, values: list[Any], locale: str, min_cell: int) -> Round:
    n = len(values)
    shown = n >= min_cell
    result = Round(n=n, mean=round(fmean(values), 2) if item.kind in ("scale", "numeric") and values and shown
                   else None)
    counts = Counter(str(v) for v in values) if item.kind == "scale" else Counter(values)
    hidden = _withheld([counts[code] for code, _ in item.options], min_cell) if shown else {
        i for i, _ in enumerate(item.options)}
    for position, (code, labels) in enumerate(item.options):
        count = counts[code]
        result.shares.append(Share(option=code, label=_pick(labels, locale) or code,
                                   count=None if position in hidden else count,
                                   percent=None if position in hidden else round(100 * count / n, 1) if n else 0.0))
    return result


def _withheld(counts: list[int], min_cell: int) -> set[int]:
    """Positions of the counts not to show: those under min_cell and, when that leaves a single one hidden
    (which n minus the others would give away), the smallest shown count besides it."""
    hidden = {i for i, count in enumerate(counts) if 0 < count < min_cell}
    if len(hidden) == 1:
        others = [i for i, count in enumerate(counts) if i not in hidden and count > 0]
        if others:
            hidden.add(min(others, key=lambda i: counts[i]))
    return hidden


def _paired(item: _Compared, before: list[Any], after: list[Any]) -> TestOutcome:
    n = len(before)
    if n < MIN_PAIRS:
        return TestOutcome(n=n, not_tested=f"fewer than {MIN_PAIRS} vecinos answered both rounds ({n})",
                           not_tested_code="few_pairs")
    if item.kind in ("scale", "numeric"):
        return _outcome(n, wilcoxon_signed_rank(before, after))
    codes = [code for code, _ in item.options]
    table = [[0] * len(codes) for _ in codes]
    for b, a in zip(before, after, strict=True):
        table[codes.index(b)][codes.index(a)] += 1
    if item.kind == "yes_no":
        return _outcome(n, mcnemar(table[0][0], table[0][1], table[1][0], table[1][1]))
    return _outcome(n, stuart_maxwell(table))


def _unpaired(item: _Compared, before: list[Any], after: list[Any]) -> TestOutcome:
    n = len(before) + len(after)
    if min(len(before), len(after)) < MIN_PAIRS:
        return TestOutcome(n=n, not_tested=f"fewer than {MIN_PAIRS} vecinos answered only one of the rounds "
                                           f"({len(before)} only the base, {len(after)} only the salida)",
                           not_tested_code="few_unpaired", only_base=len(before), only_salida=len(after))
    if item.kind in ("scale", "numeric"):
        outcome = _outcome(n, mann_whitney(before, after))
    else:
        codes = [code for code, _ in item.options]
        outcome = _outcome(n, contingency([before.count(c) for c in codes], [after.count(c) for c in codes]))
    outcome.only_base, outcome.only_salida = len(before), len(after)
    return outcome


def _outcome(n: int, outcome: Outcome) -> TestOutcome:
    if isinstance(outcome, NotTested):
        return TestOutcome(n=n, not_tested=outcome.reason, not_tested_code=outcome.code)
    assert isinstance(outcome, Result)
    # the exact McNemar test's statistic is a count of vecinos (those who went from yes to no): not shown
    statistic = None if outcome.name == "mcnemar_exact" else round(outcome.statistic, 4)
    return TestOutcome(n=n, test=outcome.name, statistic=statistic, df=outcome.df,
                       p_value=outcome.p_value, effect_name=outcome.effect_name,
                       effect=None if outcome.effect is None else round(outcome.effect, 4))


def _indexes(items: list[tuple[_Compared, dict[str, Any]]]) -> dict[str, dict[str, float]]:
    """Respondent -> dimension -> index 0-100 (the mean of the dimension's items they answered)."""
    by_dimension: dict[str, list[tuple[_Compared, dict[str, Any]]]] = {}
    for item, values in items:
        by_dimension.setdefault(item.dimension or "", []).append((item, values))
    found: dict[str, dict[str, float]] = {}
    for code, members in by_dimension.items():
        totals: Counter[str] = Counter()
        counts: Counter[str] = Counter()
        for item, values in members:
            scores = item.scores
            totals.update({respondent: scores[value] for respondent, value in values.items()})
            counts.update(values.keys())
        for respondent, count in counts.items():
            found.setdefault(respondent, {})[code] = totals[respondent] / count
    return found


def _index(code: str, label: str, items: int, before: dict[str, float], after: dict[str, float],
           min_cell: int) -> IndexComparison:
    both = [k for k in before if k in after]
    only_before = [v for k, v in before.items() if k not in after]
    only_after = [v for k, v in after.items() if k not in before]
    base, salida = _level(list(before.values()), min_cell), _level(list(after.values()), min_cell)
    paired = _level([after[k] - before[k] for k in both], min_cell)
    unpaired = Change(n=len(only_before) + len(only_after))
    welch = difference_interval(only_before, only_after)
    if welch is not None and min(len(only_before), len(only_after)) >= min_cell:
        unpaired = Change(n=unpaired.n, mean=round(welch.estimate, 1), ci_low=round(welch.low, 1),
                          ci_high=round(welch.high, 1))
    change = round(salida.mean - base.mean, 1) if salida.mean is not None and base.mean is not None else None
    return IndexComparison(dimension=code, label=label, items=items, base=base, salida=salida, change=change,
                           paired=paired, unpaired=unpaired)


def _level(values: list[float], min_cell: int) -> Change:
    if len(values) < min_cell or not values:
        return Change(n=len(values))
    interval = mean_interval(values)
    if interval is None:
        return Change(n=len(values), mean=round(fmean(values), 1))
    return Change(n=len(values), mean=round(interval.estimate, 1), ci_low=round(interval.low, 1),
                  ci_high=round(interval.high, 1))


def _ordered(codes: set[str]) -> list[str]:
    known = [d.code for d in DIMENSIONS if d.code in codes]
    return known + sorted(codes - set(known))


def _dimension_label(code: str, locale: str) -> str:
    labels = DIMENSION_LABELS.get(code)
    return _pick(labels, locale) if labels else code


def _pick(labels: Mapping[str, str], locale: str) -> str:
    return labels.get(locale) or labels.get("es") or next(iter(labels.values()), "")
