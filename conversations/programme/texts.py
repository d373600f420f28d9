"""How the programme reads in a vecino's language: phases, statuses, an iniciativa's line.

Shared by the "Nuestro barrio" flow and the messages sent through the outbox, so a phase
or an iniciativa is named the same way everywhere.
"""

from conversations.ballots.texts import ambito
from conversations.kernel.i18n import Translator
from conversations.programme.phases import PHASES
from conversations.programme.ports import Hito, IdeaStatus, IniciativaView
from conversations.programme.rules import IniciativaStatus


def phase_name(t: Translator, phase: str) -> str:
    """A phase's name, numbered as the programme numbers them; an unknown phase as it is."""
    names = (
        t._("Fase I: inserción, articulación y diagnóstico del barrio"),
        t._("Fase II: planificación participativa (el Plan de Desarrollo Local)"),
        t._("Fase III: implementación de las iniciativas"),
        t._("Fase IV: cierre de la intervención"),
        t._("Fase V: consolidación de redes con actores públicos y privados"),
    )
    return dict(zip(PHASES, names, strict=True)).get(phase, phase)  # type: ignore[call-overload, no-any-return]


def status_name(t: Translator, status: str) -> str:
    names = {
        IniciativaStatus.PROPUESTA: t._("Propuesta"),
        IniciativaStatus.PRIORIZADA: t._("Priorizada por el barrio"),
        IniciativaStatus.APROBADA: t._("Aprobada"),
        IniciativaStatus.EN_EJECUCION: t._("En ejecución"),
        IniciativaStatus.TERMINADA: t._("Terminada"),
        IniciativaStatus.DESCARTADA: t._("Descartada"),
    }
    return names.get(status, status)


def iniciativa_line(t: Translator, iniciativa: IniciativaView, locale: str) -> str:
    """"Huerto comunitario — Huertos · En ejecución · 40%"."""
    parts = [ambito(t, iniciativa.ambito), status_name(t, iniciativa.status)]
    if iniciativa.status not in (IniciativaStatus.PROPUESTA, IniciativaStatus.DESCARTADA):
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
    names = {IdeaStatus.NUEVA: t._("en revisión"), IdeaStatus.INCORPORADA: t._("quedó en el Plan de Desarrollo Local"),
             IdeaStatus.DESCARTADA: t._("no quedó en el plan")}
    return names.get(status, status)
