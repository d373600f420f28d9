"""The PDL's vocabulary and rules: iniciativa statuses and the moves allowed between them; pure.

propuesta -> priorizada -> aprobada -> en_ejecucion -> terminada, one step at a time;
any status but terminada may become descartada. Nothing leaves terminada or descartada.
"""

from enum import StrEnum

from conversations.ballots.rules import AMBITOS, BUDGET, Rules, Tally

__all__ = ["AMBITOS", "DIMENSIONS", "IniciativaStatus", "allowed", "by_grupo_motor", "next_statuses", "prioritised"]


class IniciativaStatus(StrEnum):
    PROPUESTA = "propuesta"
    PRIORIZADA = "priorizada"
    APROBADA = "aprobada"
    EN_EJECUCION = "en_ejecucion"
    TERMINADA = "terminada"
    DESCARTADA = "descartada"


_FORWARD = (IniciativaStatus.PROPUESTA, IniciativaStatus.PRIORIZADA, IniciativaStatus.APROBADA,
            IniciativaStatus.EN_EJECUCION, IniciativaStatus.TERMINADA)
FINAL = (IniciativaStatus.TERMINADA, IniciativaStatus.DESCARTADA)

# The diagnóstico comunitario's five dimensions, under which the PDL's problems are filed.
DIMENSIONS = ("economica", "medioambiental", "social", "institucional", "fisica")


def next_statuses(current: str) -> tuple[IniciativaStatus, ...]:
    """Where an iniciativa in `current` may go."""
    if current in FINAL or current not in _FORWARD:
        return ()
    return (_FORWARD[_FORWARD.index(IniciativaStatus(current)) + 1], IniciativaStatus.DESCARTADA)


def allowed(current: str, to: str) -> bool:
    return to in next_statuses(current)


def by_grupo_motor(responsible: str) -> bool:
    """Whether the grupo motor is responsible for an iniciativa ("grupo motor", "Grupo motor y junta de vecinos")."""
    return "grupo motor" in " ".join(responsible.split()).casefold()


def prioritised(rules: Rules, counted: Tally) -> set[int]:
    """The ballot positions a closed ballot prioritises: the selected set for a budget ballot,
    else the first `max_choices` of the ranking that got at least one vote."""
    if rules.method == BUDGET:
        return {line.option.index for line in counted.selected}
    return {line.option.index for line in counted.lines[:rules.max_choices] if line.score > 0}
