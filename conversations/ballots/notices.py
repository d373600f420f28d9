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
