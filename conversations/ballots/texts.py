"""How ballots read in a vecino's language: ámbitos, the rule, progress, the choice made.

Shared by the voting flow and the messages sent through the outbox (opening, reminder,
results), so an iniciativa is described the same way everywhere.
"""

from collections.abc import Sequence

from conversations.ballots.ports import BallotView
from conversations.ballots.rules import (
    APPROVAL,
    BUDGET,
    RANKED,
    SINGLE,
    Option,
    Problem,
    Rules,
    Tally,
    minimum_spend,
    total_cost,
)
from conversations.kernel.i18n import Translator


def place(t: Translator, n: int) -> str:
    """A place in a ranking, as the vecino's language writes it ("1º", "#1")."""
    return t._("{n}º", n=n)


def ambito(t: Translator, key: str) -> str:
    names = {
        "bienestar": t._("Bienestar comunitario"),
        "habitabilidad": t._("Habitabilidad comunitaria"),
        "huertos": t._("Huertos"),
    }
    return names.get(key, key)


def option_line(t: Translator, option: Option, short: bool = False) -> str:
    head = f"{option.index + 1}. {option.title} — {ambito(t, option.ambito)} · {t.money(option.cost)}"
    text = option.description
    if short and len(text) > 80:
        text = text[:79].rstrip() + "…"
    return f"{head}\n    {text}" if text else head


def instruction(t: Translator, rules: Rules) -> str:
    if rules.method == SINGLE:
        return t._("Elige una iniciativa.")
    if rules.method == APPROVAL:
        return t.ngettext("Elige hasta {n} iniciativa.", "Elige hasta {n} iniciativas.", rules.max_choices)
    if rules.method == BUDGET:
        text = t._("Elige las iniciativas que quieras sin pasar el presupuesto de {budget}.",
                   budget=t.money(rules.budget or 0))
        if minimum_spend(rules):
            text += " " + t._("Debes usar al menos {minimum}.", minimum=t.money(minimum_spend(rules)))
        return text
    return t.ngettext(
        "Ordena hasta {n} iniciativa: toca primero la que más prefieres.",
        "Ordena hasta {n} iniciativas: toca primero la que más prefieres, luego la segunda, y así.",
        rules.max_choices,
    )


def progress(t: Translator, ballot: BallotView, pick: Sequence[int]) -> str:
    rules = ballot.rules
    if rules.method == BUDGET:
        return t._("Usado {used} de {budget}", used=t.money(total_cost(ballot.options, pick)),
                   budget=t.money(rules.budget or 0))
    if rules.method == SINGLE:
        return t._("Elegiste: {choice}", choice=choice_summary(t, ballot, pick)) if pick \
            else t._("Aún no eliges.")
    if rules.method == RANKED:
        return t.ngettext("Ordenaste {chosen} de {n} iniciativa", "Ordenaste {chosen} de {n} iniciativas",
                          rules.max_choices, chosen=t.number(len(pick)))
    return t.ngettext("Elegiste {chosen} de {n} iniciativa", "Elegiste {chosen} de {n} iniciativas",
                      rules.max_choices, chosen=t.number(len(pick)))


def choice_summary(t: Translator, ballot: BallotView, pick: Sequence[int]) -> str:
    titles = {o.index: o.title for o in ballot.options}
    if ballot.rules.method == RANKED:
        return "; ".join(f"{place(t, n)} {titles[i]}" for n, i in enumerate(pick, start=1) if i in titles)
    return "; ".join(titles[i] for i in pick if i in titles)


def choice_lines(t: Translator, ballot: BallotView, pick: Sequence[int]) -> list[str]:
    by_index = {o.index: o for o in ballot.options}
    chosen = [by_index[i] for i in pick if i in by_index]
    if ballot.rules.method == RANKED:
        lines = [f"{place(t, n)} {o.title}" for n, o in enumerate(chosen, start=1)]
    else:
        lines = [f"• {o.title} — {t.money(o.cost)}" for o in chosen]
    if ballot.rules.method == BUDGET:
        lines.append(progress(t, ballot, pick))
    return lines


def problem_text(t: Translator, ballot: BallotView, pick: Sequence[int], problem: Problem) -> str:
    rules = ballot.rules
    if problem.code == "too_many":
        return t.ngettext("Ya elegiste {n} iniciativa, el máximo. Quita una para elegir otra.",
                          "Ya elegiste {n} iniciativas, el máximo. Quita una para elegir otra.",
                          rules.max_choices)
    if problem.code == "over_budget" and problem.option is not None:
        left = (rules.budget or 0) - total_cost(ballot.options, pick)
        return t._("«{title}» cuesta {cost} y te quedan {left}. Quita otra iniciativa para hacerle espacio.",
                   title=problem.option.title, cost=t.money(problem.option.cost), left=t.money(left))
    if problem.code == "over_budget":
        return t._("Tu selección pasa el presupuesto de {budget}.", budget=t.money(rules.budget or 0))
    if problem.code == "under_budget":
        return t._("Tu selección usa {used}; hay que usar al menos {minimum} del presupuesto.",
                   used=t.money(total_cost(ballot.options, pick)), minimum=t.money(minimum_spend(rules)))
    if problem.code == "empty":
        return t._("Aún no eliges ninguna iniciativa. Toca una para elegirla.")
    return t._("Esa iniciativa no está en esta votación.")


def results_text(t: Translator, ballot: BallotView, tally: Tally, members: int) -> str:
    """The results as vecinos read them (sent when a ballot closes, and shown on request); a tie is named."""
    lines = [t._("Resultados de «{title}»:", title=ballot.title), ""]
    titles = {o.index: o.title for o in ballot.options}  # in the vecino's language (the tally's are Spanish)
    for line in tally.lines:
        if ballot.rules.method == RANKED:
            score = t.ngettext("{n} punto", "{n} puntos", line.score)
        else:
            score = t.ngettext("{n} voto", "{n} votos", line.score)
        mark = "✅ " if line.selected else ""
        title = titles.get(line.option.index, line.option.title)
        lines.append(f"{line.rank}. {mark}{title} ({ambito(t, line.option.ambito)}) — {score}")
    if ballot.rules.method == BUDGET:
        lines += ["", t._("✅ = seleccionadas: {cost} de un presupuesto de {budget}.",
                          cost=t.money(tally.selected_cost), budget=t.money(ballot.rules.budget or 0))]
    lines += ["", t.ngettext("Participación: {voters} de {n} vecino ({share}).",
                             "Participación: {voters} de {n} vecinos ({share}).", members,
                             voters=t.number(tally.voters), share=t.percent(tally.voters / members if members else 0))]
    tied = [titles.get(line.option.index, line.option.title) for line in tally.lines
            if line.score == tally.lines[0].score]
    if len(tied) > 1 and tally.lines[0].score > 0:
        lines += ["", t._("Empate en el primer lugar: {titles}. El orden entre ellas lo decide la regla de "
                          "desempate: más votantes que la eligieron, luego menor costo, luego el orden de la lista.",
                          titles=", ".join(tied))]
    lines.append(t._("¡Gracias por participar!"))
    return "\n".join(lines)
