"""The summary of a closed survey's results that staff publish to the barrio's vecinos.

Results return to the people who gave them, in each one's language, and honestly: every
figure comes from the completed responses the headline counts; each line says its own
base ("31 de 50 respuestas"); a tie is called a tie; a question with fewer than
MIN_ANSWERS answers shows no figure at all (too few to mean anything, and too close to
naming someone). Staff choose the questions and read this exact text before it is sent.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from conversations.kernel.i18n import Translator
from conversations.kernel.replies import Reply
from conversations.surveys.form import Form

MIN_ANSWERS = 5  # fewer answers than this: no percentage, no mean


@dataclass(frozen=True)
class Tally:
    """One question over the completed responses: how many answered it, and each choice's count."""

    question: str
    answered: int
    counts: Mapping[str, int]  # choice name (or "1".."5" for a scale) -> responses that gave it


def summary_reply(t: Translator, form: Form, completed: int, tallies: list[Tally]) -> Reply:
    lines = [
        t._("Resultados de la encuesta «{title}»", title=form.text(form.title, t.locale)),
        t.ngettext("{n} vecino o vecina la respondió completa. ¡Gracias por participar!",
                   "{n} vecinas y vecinos la respondieron completa. ¡Gracias por participar!", completed),
    ]
    if tallies:
        lines.append("")
    lines.extend(_line(t, form, tally) for tally in tallies)
    return Reply("\n".join(lines))


def _line(t: Translator, form: Form, tally: Tally) -> str:
    question = form.question(tally.question)
    assert question is not None
    label, n = form.text(question.label, t.locale), tally.answered
    if n < MIN_ANSWERS:
        return t.ngettext("• {question}: solo {n} respuesta, muy pocas para mostrar resultados.",
                          "• {question}: solo {n} respuestas, muy pocas para mostrar resultados.", n,
                          question=label)
    if question.type == "scale":
        mean = t.number(round(sum(int(k) * v for k, v in tally.counts.items()) / n, 1))
        ends = form.anchors(question, t.locale)
        if ends is None:
            return t._("• {question}: promedio {mean} de 5 ({n} respuestas)", question=label, mean=mean, n=t.number(n))
        return t._("• {question}: promedio {mean} de 5, donde 1 es «{low}» y 5 es «{high}» ({n} respuestas)",
                   question=label, mean=mean, low=ends[0], high=ends[1], n=t.number(n))
    top = max(tally.counts.values(), default=0)
    first = [question.choice_label(name, t.locale, form.default_language)
             for name in (c.name for c in question.choices) if tally.counts.get(name, 0) == top]
    percent = t.percent(top / n)
    if len(first) == 1:
        return t._("• {question}: {choice}, {count} de {n} respuestas ({percent})",
                   question=label, choice=first[0], count=t.number(top), n=t.number(n), percent=percent)
    return t._("• {question}: empate entre {choices}, con {count} de {n} respuestas cada una ({percent})",
               question=label, choices=", ".join(f"«{name}»" for name in first), count=t.number(top), n=t.number(n),
               percent=percent)
