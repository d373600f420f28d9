"""Messages about a ballot sent to the whole barrio (through the outbox), in each one's language.

The buttons of `opened` and `reminder` open the ballot in the chat (flow.py's `show_ballot`).
"""

from conversations.ballots.flow import BUTTONS, show_ballot
from conversations.ballots.ports import BallotView
from conversations.ballots.rules import BUDGET, RANKED, Tally
from conversations.ballots.texts import ambito
from conversations.kernel.i18n import Translator
from conversations.kernel.replies import Button, Reply, rows


def opened(t: Translator, ballot: BallotView, barrio: str) -> Reply:
    text = "\n\n".join([
        t._("Nueva votación en {barrio}: «{title}».", barrio=barrio, title=ballot.title),
        t.ngettext("Hay {n} iniciativa para elegir.", "Hay {n} iniciativas para elegir.", len(ballot.options)),
        t._("Puedes votar hasta el {date}. Tu voto es anónimo.", date=t.datetime(ballot.closes_at)),
    ])
    return Reply(text, rows(Button(t._("Votar"), BUTTONS.data(show_ballot, ballot=ballot.id))))


def reminder(t: Translator, ballot: BallotView) -> Reply:
    text = t._("Empezaste a votar en «{title}» pero aún no confirmas tu voto. Sin confirmar no cuenta. "
               "La votación cierra el {date}.", title=ballot.title, date=t.datetime(ballot.closes_at))
    return Reply(text, rows(Button(t._("Terminar mi voto"), BUTTONS.data(show_ballot, ballot=ballot.id))))


def results(t: Translator, ballot: BallotView, tally: Tally, members: int) -> Reply:
    lines = [t._("Resultados de «{title}»:", title=ballot.title), ""]
    for line in tally.lines:
        if ballot.rules.method == RANKED:
            score = t.ngettext("{n} punto", "{n} puntos", line.score)
        else:
            score = t.ngettext("{n} voto", "{n} votos", line.score)
        mark = "✅ " if line.selected else ""
        lines.append(f"{line.rank}. {mark}{line.option.title} ({ambito(t, line.option.ambito)}) — {score}")
    if ballot.rules.method == BUDGET:
        lines += ["", t._("✅ = seleccionadas: {cost} de un presupuesto de {budget}.",
                          cost=t.money(tally.selected_cost), budget=t.money(ballot.rules.budget or 0))]
    lines += ["", t.ngettext("Participación: {voters} de {n} vecino ({share}).",
                             "Participación: {voters} de {n} vecinos ({share}).", members,
                             voters=t.number(tally.voters), share=t.percent(tally.voters / members if members else 0))]
    lines.append(t._("¡Gracias por participar!"))
    return Reply("\n".join(lines))
