"""The two surveys of a comparison, and each one's answers keyed by member (read inside the service only).

The member id is what pairs a vecino's two rounds; it never leaves this package: the
comparison returns aggregates. A vecino who used /borrar has no rows left, so drops out.
"""

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Text, cast, select
from sqlmodel import Session
from sqlmodel import select as sql_select

from api.barrios.models import Barrio
from api.kernel.errors import Conflict, Invalid, NotFound
from api.surveys.models import Survey, SurveyAnswer, SurveyResponse
from conversations.surveys.questions import SurveyKind


def answers_by_question(connection: Connection, survey_id: int) -> dict[str, dict[str, Any]]:
    """question -> member id -> value, for every answer given (skipped questions are absent).

    Question first, because the comparison walks one question at a time.

    Values are read as their JSON text (CAST in SQL, so both databases hand back text) and
    decoded once per distinct text: a round of 5,000 × 30 answers has a few dozen distinct
    values, and the JSON type's per-row decoding was half the comparison's time.
    """
    statement = (
        select(SurveyAnswer.member_id, SurveyAnswer.question, cast(SurveyAnswer.value, Text))
        .join(SurveyResponse, SurveyResponse.id == SurveyAnswer.response_id)  # type: ignore[arg-type]
        .where(SurveyResponse.survey_id == survey_id, SurveyAnswer.value.is_not(None))  # type: ignore[arg-type,union-attr]
    )
    found: dict[str, dict[str, Any]] = {}
    decoded: dict[str, Any] = {}
    for member_id, question, raw in connection.execute(statement):
        value = decoded.get(raw, _MISSING)
        if value is _MISSING:
            value = decoded[raw] = json.loads(raw)
        answers = found.get(question)
        if answers is None:
            answers = found[question] = {}
        answers[member_id] = value
    return found


_MISSING = object()


class NoRound(Conflict):
    """The barrio has no survey of that round; `code` (no_linea_base, no_linea_salida) is what the console says."""

    def __init__(self, kind: str, parameter: str) -> None:
        super().__init__(f"the barrio has no {kind} survey; load one or name the survey with ?{parameter}=")
        self.code = f"no_{kind}"


class SameSurvey(Invalid):
    code = "same_survey"


class SurveyElsewhere(NotFound):
    code = "survey_not_found"


def pick_surveys(session: Session, barrio: Barrio, base_id: int | None, salida_id: int | None) -> tuple[Survey, Survey]:
    """The surveys named, each of this barrio; by default its latest línea base and latest línea de salida."""
    surveys = session.exec(
        sql_select(Survey).where(Survey.barrio_id == barrio.id).order_by(Survey.id)  # type: ignore[arg-type]
    ).all()
    base = _one(surveys, base_id, SurveyKind.LINEA_BASE, "base")
    salida = _one(surveys, salida_id, SurveyKind.LINEA_SALIDA, "salida")
    if base.id == salida.id:
        raise SameSurvey("base and salida are the same survey; compare two different surveys")
    return base, salida


def _one(surveys: Sequence[Survey], wanted: int | None, kind: str, parameter: str) -> Survey:
    if wanted is not None:
        found = next((s for s in surveys if s.id == wanted), None)
        if found is None:
            raise SurveyElsewhere(f"survey {wanted} not found in this barrio")
        return found
    latest = [s for s in surveys if s.kind == kind]
    if not latest:
        raise NoRound(kind, parameter)
    return latest[-1]
