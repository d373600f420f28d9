"""Labels the importer adds to a form in every language a vecino may use (or_other's "Otro"),
how a vecino's data download words their consent to a survey's sensitive questions, and how
an instance of a repeat is named ("Persona 2 de 4").

They live here, in conversations/, so that Babel extracts them and they are translated
like every other vecino-facing string; the importer stores them in the definition.
"""

from collections.abc import Iterable, Mapping
from typing import Any

from conversations.kernel.i18n import SUPPORTED, Translator
from conversations.surveys.form import Form


def other_choice(languages: Iterable[str]) -> dict[str, str]:
    """The label of the "other" choice `or_other` adds to a list."""
    return {code: Translator(code)._("Otro") for code in dict.fromkeys([*languages, *SUPPORTED])}


def specify_other(languages: Iterable[str]) -> dict[str, str]:
    """The label of the question that follows an "other" choice."""
    return {code: Translator(code)._("¿Cuál? Escríbelo, por favor.")
            for code in dict.fromkeys([*languages, *SUPPORTED])}


def consent_record(t: Translator, topics: list[str], consent: bool) -> tuple[str, str]:
    """The item and value of "Descargar mis datos" that says what the vecino chose about sensitive questions."""
    item = t._("Preguntas sobre: {topics}", topics=", ".join(topics))
    return item, t._("Aceptaste responderlas") if consent else t._("Elegiste no responderlas")


def instance_title(t: Translator, form: Form, repeat: str, number: int, answers: Mapping[str, Any] | None = None,
                   total: int | None = None) -> str:
    """An instance of a repeat named by the repeat's label: "Persona 2", or "Persona 2 de 4" given the total."""
    own = form.questions[form.repeats[repeat][1]]
    label = form.say(own.label, t.locale, answers or {}) or own.name
    if total is None:
        return t._("{label} {number}", label=label, number=number)
    return t._("{label} {number} de {total}", label=label, number=number, total=total)
