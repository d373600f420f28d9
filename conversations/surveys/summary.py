"""The short summary of a closed survey's results that goes back to the vecinos who answered.

Results return to the people who gave them, in each one's language: how many took part
and, for the first few choice and scale questions, the most frequent answer or the mean.
"""

from dataclasses import dataclass

from conversations.kernel.i18n import Translator
from conversations.kernel.replies import Reply
from conversations.surveys.form import Form

MAX_LINES = 6


@dataclass(frozen=True)
class Tally:
    """One question's result: the top choice and its share, or the mean of a scale."""

    question: str
    top_choice: str | None = None
    share: float | None = None
    mean: float | None = None


def summary_reply(t: Translator, form: Form, completed: int, tallies: list[Tally]) -> Reply:
    locale = t.locale
    lines = [
        t._("Resultados de la encuesta «{title}»", title=form.text(form.title, locale)),
        t.ngettext("{n} vecino o vecina la respondió. ¡Gracias por participar!",
                   "{n} vecinas y vecinos la respondieron. ¡Gracias por participar!", completed),
        "",
    ]
    questions = {q.name: q for q in form.questions}
    for tally in tallies[:MAX_LINES]:
        question = questions[tally.question]
        label = form.text(question.label, locale)
        if tally.mean is not None:
            lines.append(t._("• {question}: promedio {mean} de 5", question=label,
                             mean=t.number(round(tally.mean, 1))))
        elif tally.top_choice is not None and tally.share is not None:
            choice = question.choice_label(tally.top_choice, locale, form.default_language)
            lines.append(t._("• {question}: {choice} ({percent})", question=label, choice=choice,
                             percent=t.percent(tally.share)))
    return Reply("\n".join(lines))
