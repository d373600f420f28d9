"""Reports by phase: what an ejecutor hands in — each phase's dates, status and activities done,
with the PDL's iniciativas by status and the resources mobilised beyond FOSIS's."""

from collections import Counter
from datetime import date

from sqlmodel import Session, SQLModel

from api.barrios.models import Barrio
from api.kernel.exports import Cell
from api.programme.alliance_models import AlliancesReport
from api.programme.alliances import report
from api.programme.models import PhasePublic, TimelinePublic
from api.programme.pdl import iniciativas_of
from api.programme.timeline import timeline


class PhaseSummary(SQLModel):
    phase: PhasePublic
    done: int
    total: int


class PhaseReport(SQLModel):
    barrio_id: int
    barrio: str
    starts_on: date
    pdl_validated_on: date | None
    today: date
    active: list[str]
    phases: list[PhaseSummary]
    iniciativas_by_status: dict[str, int]
    resources: AlliancesReport


def phase_report(session: Session, barrio: Barrio) -> PhaseReport:
    shown = timeline(session, barrio)
    phases = [PhaseSummary(phase=p, done=sum(a.done for a in p.activities), total=len(p.activities))
              for p in shown.phases]
    statuses = Counter(row.status for row in iniciativas_of(session, barrio.id or 0))
    return PhaseReport(barrio_id=barrio.id or 0, barrio=barrio.name, starts_on=shown.starts_on,
                       pdl_validated_on=shown.pdl_validated_on, today=shown.today, active=shown.active, phases=phases,
                       iniciativas_by_status=dict(sorted(statuses.items())),
                       resources=report(session, [barrio.id or 0]))


PHASE_HEADER = ["phase", "phase_name", "starts_on", "ends_on", "status", "activity", "activity_name", "done",
                "done_at", "done_by", "note", "evidence", "evidence_id"]


def phase_rows(shown: TimelinePublic) -> list[list[Cell]]:
    return [[p.phase, p.name, p.starts_on.isoformat(), p.ends_on.isoformat(), p.status, a.key, a.name, a.done,
             a.done_at.isoformat() if a.done_at else None, a.done_by, a.note, a.evidence, a.evidence_id]
            for p in shown.phases for a in p.activities]
