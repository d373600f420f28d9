"""The programme's calendar as the seed text sets it: five phases, default durations, one month of overlap.

Etapa I (the ejecutor's): Fase I inserción, articulación y diagnóstico (3 months), Fase II
planificación estratégica participativa (4), Fase III implementación de iniciativas (6),
Fase IV cierre (2); each starts one month before the previous one ends. Etapa II (FOSIS):
Fase V consolidación de redes, 22 months from the PDL's validation (during Fase II); until
the PDL is validated it is planned from the end of Fase II. The text also says Etapa I lasts
9 months, which these durations do not add up to: the defaults are a start, staff edit
every date. Pure functions, no I/O.
"""

import calendar
from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class Phase(StrEnum):
    FASE_1 = "fase_1"
    FASE_2 = "fase_2"
    FASE_3 = "fase_3"
    FASE_4 = "fase_4"
    FASE_5 = "fase_5"


class PhaseStatus(StrEnum):
    """planned (before its start) -> active (start <= today < end) -> done; follows the dates."""

    PLANNED = "planned"
    ACTIVE = "active"
    DONE = "done"


PHASES = tuple(Phase)
ETAPA_I = (Phase.FASE_1, Phase.FASE_2, Phase.FASE_3, Phase.FASE_4)
DURATION_MONTHS = {Phase.FASE_1: 3, Phase.FASE_2: 4, Phase.FASE_3: 6, Phase.FASE_4: 2, Phase.FASE_5: 22}
OVERLAP_MONTHS = 1


@dataclass(frozen=True)
class Span:
    """A phase's dates: it runs from `starts_on` up to the day before `ends_on`."""

    starts_on: date
    ends_on: date

    def status(self, today: date) -> PhaseStatus:
        if today < self.starts_on:
            return PhaseStatus.PLANNED
        return PhaseStatus.ACTIVE if today < self.ends_on else PhaseStatus.DONE


def add_months(day: date, months: int) -> date:
    """The same day `months` later (the month's last day when it is shorter: 31 Jan + 1 = 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def default_spans(starts_on: date, pdl_validated_on: date | None = None) -> dict[Phase, Span]:
    """Every phase's default dates from the programme's start (and the PDL's validation, if known)."""
    spans: dict[Phase, Span] = {}
    start = starts_on
    for phase in ETAPA_I:
        end = add_months(start, DURATION_MONTHS[phase])
        spans[phase] = Span(start, end)
        start = add_months(end, -OVERLAP_MONTHS)
    fase_5 = pdl_validated_on or spans[Phase.FASE_2].ends_on
    spans[Phase.FASE_5] = Span(fase_5, add_months(fase_5, DURATION_MONTHS[Phase.FASE_5]))
    return spans


def following(phase: Phase) -> Phase | None:
    """The phase after `phase` in Etapa I (Fase IV and Fase V have none)."""
    if phase not in ETAPA_I or phase == ETAPA_I[-1]:
        return None
    return ETAPA_I[ETAPA_I.index(phase) + 1]
