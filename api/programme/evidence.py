"""The product ticks activities itself where it holds the evidence, and links it.

- a diagnóstico survey closed (its results go to the vecinos as it closes) -> diagnóstico territorial
- an assembly (a convocatoria) held after that survey closed -> difusión y validación del diagnóstico
- a ballot closed -> determinación de iniciativas locales
- a línea de salida survey closed -> ingreso línea de salida

Each rule is one set-based UPDATE over every barrio: it touches only activities not done
yet (`done_at IS NULL`), so two processes running it at once tick each activity once.
"""

from datetime import datetime

from sqlalchemy import ColumnElement, Connection, and_, func, literal, select, update

from api.ballots.models import Ballot
from api.convocatorias.models import Convocatoria
from api.programme.models import ProgrammeActivity
from api.surveys.models import Survey
from conversations.ballots.ports import BallotStatus
from conversations.programme.activities import ACTIVITIES, Evidence
from conversations.surveys.ports import SurveyStatus
from conversations.surveys.questions import SurveyKind

A = ProgrammeActivity


def _closed_survey(kind: str) -> ColumnElement[bool]:
    return and_(Survey.barrio_id == A.barrio_id, Survey.kind == kind,  # type: ignore[arg-type]
                Survey.status == SurveyStatus.CLOSED)  # type: ignore[arg-type]


def _first(column: ColumnElement[int], condition: ColumnElement[bool]):  # type: ignore[no-untyped-def]
    return select(func.min(column)).where(condition).scalar_subquery()


def _rules(now: datetime) -> dict[Evidence, tuple[str, ColumnElement[bool], object]]:
    """evidence -> (what it links, the condition on the activity's barrio, the linked id)."""
    diagnostico = _closed_survey(SurveyKind.DIAGNOSTICO)
    first_close = select(func.min(Survey.closed_at)).where(diagnostico).scalar_subquery()
    held = and_(Convocatoria.barrio_id == A.barrio_id, Convocatoria.starts_at <= now,  # type: ignore[arg-type]
                Convocatoria.starts_at >= first_close)  # type: ignore[arg-type]
    ballot = and_(Ballot.barrio_id == A.barrio_id, Ballot.status == BallotStatus.CLOSED)  # type: ignore[arg-type]
    salida = _closed_survey(SurveyKind.LINEA_SALIDA)
    return {
        Evidence.DIAGNOSTICO_CLOSED: ("survey", diagnostico, _first(Survey.id, diagnostico)),  # type: ignore[arg-type]
        Evidence.ASSEMBLY_HELD: ("convocatoria", held, _first(Convocatoria.id, held)),  # type: ignore[arg-type]
        Evidence.BALLOT_CLOSED: ("ballot", ballot, _first(Ballot.id, ballot)),  # type: ignore[arg-type]
        Evidence.LINEA_SALIDA_CLOSED: ("survey", salida, _first(Survey.id, salida)),  # type: ignore[arg-type]
    }


def tick_by_evidence(connection: Connection, now: datetime) -> int:
    """Tick every activity whose evidence now exists; how many were ticked."""
    ticked = 0
    rules = _rules(now)
    for activity in ACTIVITIES:
        if activity.evidence is None:
            continue
        kind, condition, linked = rules[activity.evidence]
        result = connection.execute(
            update(A).where(A.key == activity.key, A.done_at.is_(None),  # type: ignore[arg-type,union-attr]
                            select(literal(1)).where(condition).exists())
            .values(done_at=now, done_by="auto", evidence=kind, evidence_id=linked)
        )
        ticked += result.rowcount
    return ticked
