"""Messages about a ballot sent to the whole barrio (through the outbox), in each one's language.

The buttons of `opened` and `reminder` open the ballot in the chat (flow.py's `show_ballot`).
"""

from conversations.ballots.flow import BUTTONS, show_ballot
from conversations.ballots.ports import BallotView
from conversations.ballots.rules import Tally
from conversations.ballots.texts import results_text
from conversations.kernel.i18n import Translator
from conversations.kernel.replies import Button, Reply, rows


def opened(t: Translator, ballot: BallotView, barrio: str) -> Reply:
    ballot = ballot.in_language(t.locale)
    text = "\n\n".join([
        t._("Nueva votación en {barrio}: «{title}».", barrio=barrio, title=ballot.title),
        t.ngettext("Hay {n} iniciativa para elegir.", "Hay {n} iniciativas para elegir.", len(ballot.options)),
        t._("Puedes votar hasta el {date}. Tu voto es anónimo.", date=t.datetime(ballot.closes_at)),
    ])
    return Reply(text, rows(Button(t._("Votar"), BUTTONS.data(show_ballot, ballot=ballot.id))))


def reminder(t: Translator, ballot: BallotView) -> Reply:
    ballot = ballot.in_language(t.locale)
    text = t._("Empezaste a votar en «{title}» pero aún no confirmas tu voto. Sin confirmar no cuenta. "
               "La votación cierra el {date}.", title=ballot.title, date=t.datetime(ballot.closes_at))
    return Reply(text, rows(Button(t._("Terminar mi voto"), BUTTONS.data(show_ballot, ballot=ballot.id))))


def results(t: Translator, ballot: BallotView, tally: Tally, members: int) -> Reply:
    return Reply(results_text(t, ballot.in_language(t.locale), tally, members))


def cancelled(t: Translator, ballot: BallotView, barrio: str) -> Reply:
    """To those who got the ballot (or began voting) when staff cancel it: no results will come."""
    ballot = ballot.in_language(t.locale)
    return Reply(t._("La votación «{title}» de {barrio} fue cancelada. No habrá resultados y los votos no se "
                     "contarán. Si se vuelve a votar, te avisaremos.", title=ballot.title, barrio=barrio))


def moved(t: Translator, ballot: BallotView) -> Reply:
    """To those who got the open ballot when staff change its closing time."""
    ballot = ballot.in_language(t.locale)
    text = t._("Cambió la fecha de cierre de la votación «{title}»: ahora puedes votar hasta el {date}.",
               title=ballot.title, date=t.datetime(ballot.closes_at))
    return Reply(text, rows(Button(t._("Votar"), BUTTONS.data(show_ballot, ballot=ballot.id))))
