"""The short message that tells a barrio's vecinos, in their language, whether its capacities grew.

Sent once the línea de salida is closed and staff have read and approved the preview.
It names up to three dimensions that grew clearly (at least 5 points of 100, and, when
vecinos answered both rounds, a paired confidence interval above zero) and the overall
index; numbers are the 0–100 index of the comparison, formatted for the vecino's locale.
"""

from dataclasses import dataclass

from conversations.kernel.i18n import Translator
from conversations.kernel.replies import Reply

MAX_DIMENSIONS = 3
CLEAR_GROWTH = 5.0  # points of 100


@dataclass(frozen=True)
class Growth:
    """One dimension's (or the overall) index at both rounds, and whether the change is clear."""

    dimension: str
    before: float
    after: float
    clear: bool


def dimension_name(t: Translator, code: str) -> str | None:
    """How a vecino reads a dimension; None for one the instrument does not know."""
    names = {
        "grupos_redes": t._("participación en grupos y redes"),
        "confianza_solidaridad": t._("confianza entre vecinos"),
        "accion_colectiva": t._("trabajo en conjunto"),
        "informacion_comunicacion": t._("información sobre el barrio"),
        "cohesion_inclusion": t._("convivencia e inclusión"),
        "empoderamiento": t._("voz del barrio ante las autoridades"),
        "planificacion_gestion": t._("planificación"),
        "movilizacion_recursos": t._("capacidad de conseguir recursos"),
        "redes_instituciones": t._("trabajo con instituciones"),
    }
    return names.get(code)


def grew(dimensions: list[Growth]) -> list[Growth]:
    """The dimensions to name: clear growth, the largest first, at most three."""
    clear = [d for d in dimensions if d.clear and d.after - d.before >= CLEAR_GROWTH]
    return sorted(clear, key=lambda d: d.before - d.after)[:MAX_DIMENSIONS]


def summary_reply(t: Translator, dimensions: list[Growth], overall: Growth | None) -> Reply:
    lines = [t._("Resultados de la medición de cierre de tu barrio. ¡Gracias por responder!"), ""]
    named = [(d, dimension_name(t, d.dimension)) for d in grew(dimensions)]
    for growth, name in named:
        if name is not None:
            lines.append(t._("Tu barrio creció en {dimension}: de {before} a {after} de 100.", dimension=name,
                             before=t.number(round(growth.before)), after=t.number(round(growth.after))))
    if not any(name for _, name in named):
        lines.append(t._("Entre el inicio y el cierre las respuestas cambiaron poco."))
    if overall is not None:
        lines.append(t._("En general: de {before} a {after} de 100.", before=t.number(round(overall.before)),
                         after=t.number(round(overall.after))))
    return Reply("\n".join(lines))
