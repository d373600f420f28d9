"""How the programme reads in a vecino's language: phases, statuses, an iniciativa's line.

Shared by the "Nuestro barrio" flow and the messages sent through the outbox, so a phase
or an iniciativa is named the same way everywhere.
"""

from conversations.ballots.texts import ambito
from conversations.kernel.i18n import Translator
from conversations.programme.phases import Phase
from conversations.programme.ports import Hito, IniciativaView


def phase_name(t: Translator, phase: str) -> str:
    names = {
        Phase.FASE_1: t._("Fase I: inserción, articulación y diagnóstico del barrio"),
        Phase.FASE_2: t._("Fase II: planificación participativa (el Plan de Desarrollo Local)"),
        Phase.FASE_3: t._("Fase III: implementación de las iniciativas"),
        Phase.FASE_4: t._("Fase IV: cierre de la intervención"),
        Phase.FASE_5: t._("Fase V: consolidación de redes con actores públicos y privados"),
    }
    return names.get(phase, phase)  # type: ignore[call-overload, no-any-return]


def status_name(t: Translator, status: str) -> str:
    names = {
        "propuesta": t._("Propuesta"),
        "priorizada": t._("Priorizada por el barrio"),
        "aprobada": t._("Aprobada"),
        "en_ejecucion": t._("En ejecución"),
        "terminada": t._("Terminada"),
        "descartada": t._("Descartada"),
    }
    return names.get(status, status)


def iniciativa_line(t: Translator, iniciativa: IniciativaView, locale: str) -> str:
    """"Huerto comunitario — Huertos · En ejecución · 40%"."""
    parts = [ambito(t, iniciativa.ambito), status_name(t, iniciativa.status)]
    if iniciativa.status not in ("propuesta", "descartada"):
        parts.append(t.percent(iniciativa.progress / 100))
    mark = "🚨 " if iniciativa.urgencia else ""
    return f"{mark}{iniciativa.title(locale)} — {' · '.join(parts)}"


def hito_line(t: Translator, hito: Hito) -> str:
    """"• 10-11-2026: Llegó la tierra (foto: https://...)"."""
    line = f"• {t.day(hito.on)}: {hito.text}"
    return line if not hito.photo_url else line + " " + t._("(foto: {url})", url=hito.photo_url)


def follow_state(t: Translator, following: bool) -> str:
    """Whether a vecino gets an iniciativa's news, as their data download says it."""
    return t._("Recibes sus novedades") if following else t._("Dejaste de seguirla")


def idea_outcome(t: Translator, status: str) -> str:
    """What became of a vecino's idea (nueva, incorporada, descartada), as their data download says it."""
    names = {"nueva": t._("en revisión"), "incorporada": t._("quedó en el Plan de Desarrollo Local"),
             "descartada": t._("no quedó en el plan")}
    return names.get(status, status)
