"""What each chart of the console shows: the JSON its canvas is drawn from.

A page renders, for every chart, its data table (always visible: the view without JavaScript,
what prints and what staff copy) and beside it a `<canvas>` with one of these specs in a
`<script type="application/json">` (`_charts.html`, macro `chart`). web/static/charts.js turns
each into a Chart.js chart (web/static/vendor/chartjs/). Texts are translated here; numbers stay
numbers, formatted by the browser in the page's language (`<html lang>`).

A spec: `title`, `labels` (one per bar or group of bars), `series` (each a `label`, its `values`,
and how it is drawn: `bar`, a `range` bar from low to high, or `point`; a bar series may carry
`shares` (% written after the count) and `highlight` (bars drawn in the second colour)),
`format` of the values (`count`, `number`, `money`), the axes' titles, `horizontal`, and
optionally `max` (a fixed end of the value axis), `note` (a line under the title), `line` (a
second series on a money axis) and `budget` (a vertical line on that axis).
"""

from typing import Any

from api.ballots.models import BallotResults
from api.comparison.models import IndexComparison
from api.surveys.models import Bin, QuestionResult, SurveyResults
from conversations.ballots.rules import RANKED
from conversations.kernel.i18n import Translator

Spec = dict[str, Any]


def bin_label(t: Translator, q: QuestionResult, one: Bin) -> str:
    """A histogram bar's name: the number itself for whole numbers one apart, else "from–to"."""
    if q.type == "integer" and one.high - one.low == 1:
        return t.number(one.low)
    return f"{t.number(one.low)}–{t.number(one.high)}"


def choices(t: Translator, q: QuestionResult) -> Spec:
    """Bars with the count and the share of each option."""
    options = q.choices or []
    return {"title": q.label, "horizontal": True, "format": "count",
            "labels": [c.label for c in options],
            "series": [{"label": t._("Respuestas"), "kind": "bar", "values": [c.count for c in options],
                        "shares": [c.percent for c in options]}],
            "valueAxis": t._("Respuestas"), "categoryAxis": t._("Opción")}


def histogram(t: Translator, q: QuestionResult) -> Spec:
    """A numeric question's histogram, with its mean and median under the title."""
    bins = q.bins or []
    note = t._("promedio {mean} · mediana {median}", mean=t.number(q.mean or 0), median=t.number(q.median or 0))
    return {"title": q.label, "horizontal": False, "format": "count", "note": note,
            "labels": [bin_label(t, q, one) for one in bins],
            "series": [{"label": t._("Respuestas"), "kind": "bar", "values": [one.count for one in bins]}],
            "valueAxis": t._("Respuestas"), "categoryAxis": t._("Valor")}


def split(t: Translator, results: SurveyResults, index: int) -> Spec:
    """One question split by the answer to another: grouped bars of counts per option, or the mean per group."""
    q = results.questions[index]
    groups = results.groups or []
    names = [group.label or t._("Sin respuesta") for group in groups]
    title = t._("{question}, por grupo", question=q.label)
    if q.choices:
        return {"title": title, "horizontal": False, "format": "count", "legend": True,
                "labels": [c.label for c in q.choices],
                "series": [{"label": name, "kind": "bar",
                            "values": [c.count for c in group.questions[index].choices or []]}
                           for name, group in zip(names, groups, strict=True)],
                "valueAxis": t._("Respuestas"), "categoryAxis": t._("Opción")}
    return {"title": title, "horizontal": True, "format": "number", "labels": names,
            "series": [{"label": t._("promedio"), "kind": "bar",
                        "values": [group.questions[index].mean for group in groups]}],
            "valueAxis": t._("promedio"), "categoryAxis": t._("Grupo")}


def ballot(t: Translator, results: BallotResults) -> Spec:
    """Votes (or Borda points) per iniciativa, the selected ones highlighted; for a budget, the cost
    of the selected iniciativas added up in the ranking's order, against the budget line."""
    ranking = results.ranking
    counted = t._("Puntos") if results.method == RANKED else t._("Votos")
    spec: Spec = {"title": results.title, "horizontal": True, "format": "count",
                  "labels": [line.title for line in ranking],
                  "series": [{"label": counted, "kind": "bar", "values": [line.points for line in ranking],
                              "highlight": [line.selected for line in ranking]}],
                  "valueAxis": counted, "categoryAxis": t._("Iniciativa")}
    if results.budget:
        added, spent = [], 0
        for line in ranking:
            spent += line.cost if line.selected else 0
            added.append(spent)
        spec["legend"] = True
        spec["line"] = {"label": t._("Costo acumulado de las seleccionadas"), "values": added,
                        "axis": t._("Costo (CLP)")}
        spec["budget"] = {"label": t._("Presupuesto"), "value": results.budget}
    return spec


def comparison(t: Translator, index: IndexComparison) -> Spec:
    """A dimension's index (0–100) at the línea base and the línea de salida: each mean a point,
    its 95 % interval a bar from low to high."""
    rounds = (index.base, index.salida)
    return {"title": index.label, "horizontal": True, "format": "number", "max": 100, "legend": True,
            "labels": [t._("Base"), t._("Salida")],
            "series": [{"label": t._("intervalo del 95 %"), "kind": "range",
                        "values": [[c.ci_low, c.ci_high] if c.ci_low is not None else None for c in rounds]},
                       {"label": t._("promedio"), "kind": "point", "values": [c.mean for c in rounds]}],
            "valueAxis": t._("Índice (0 a 100)"), "categoryAxis": t._("Ronda")}


def amounts(t: Translator, title: str, names: list[str], pesos: list[int]) -> Spec:
    """Pesos per kind (of actor, of contribution, per ámbito)."""
    return {"title": title, "horizontal": True, "format": "money", "labels": [str(name) for name in names],
            "series": [{"label": t._("Monto"), "kind": "bar", "values": pesos}],
            "valueAxis": t._("Monto (CLP)"), "categoryAxis": title}
