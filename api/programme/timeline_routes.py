"""A barrio's programme timeline: its start, phase dates, the activity checklist, the report by phase."""

from fastapi import APIRouter
from fastapi.responses import FileResponse, StreamingResponse

from api.barrios.deps import OwnedBarrio
from api.kernel.deps import SessionDep
from api.kernel.errors import ERROR_RESPONSES
from api.kernel.exports import csv_response, xlsx_response
from api.programme.models import ActivityTick, PhaseDates, ProgrammeStart, TimelinePublic
from api.programme.report import PHASE_HEADER, PhaseReport, phase_report, phase_rows
from api.programme.timeline import set_phase_dates, start_programme, tick, timeline
from conversations.programme.phases import Phase

router = APIRouter(prefix="/api/barrios/{barrio_id}/programme", tags=["programme"], responses=ERROR_RESPONSES)


@router.put("", response_model=TimelinePublic)
def put_start(barrio: OwnedBarrio, data: ProgrammeStart, session: SessionDep) -> TimelinePublic:
    """Start (or move the start of) the programme: phases not edited by hand get their default dates."""
    start_programme(session, barrio, data.starts_on)
    return timeline(session, barrio)


@router.get("", response_model=TimelinePublic)
def get_timeline(barrio: OwnedBarrio, session: SessionDep) -> TimelinePublic:
    """The phases with their dates, status and activities; `active` is what runs today."""
    return timeline(session, barrio)


@router.put("/phases/{phase}", response_model=TimelinePublic)
def put_phase(barrio: OwnedBarrio, phase: Phase, data: PhaseDates, session: SessionDep) -> TimelinePublic:
    """Set a phase's dates by hand; the defaults never overwrite them again."""
    set_phase_dates(session, barrio, phase, data)
    return timeline(session, barrio)


@router.put("/activities/{activity}", response_model=TimelinePublic)
def put_activity(barrio: OwnedBarrio, activity: str, data: ActivityTick, session: SessionDep) -> TimelinePublic:
    """Tick an activity (who, a note) or untick it."""
    tick(session, barrio, activity, data)
    return timeline(session, barrio)


@router.get("/report", response_model=PhaseReport)
def get_report(barrio: OwnedBarrio, session: SessionDep) -> PhaseReport:
    """Per phase: dates, status, activities done, and the PDL and alliances figures of the barrio."""
    return phase_report(session, barrio)


@router.get("/report.csv", response_class=StreamingResponse)
def report_csv(barrio: OwnedBarrio, session: SessionDep) -> StreamingResponse:
    """The checklist by phase as CSV: one row per activity."""
    return csv_response(f"barrio-{barrio.id}-programme.csv", PHASE_HEADER, phase_rows(timeline(session, barrio)))


@router.get("/report.xlsx", response_class=FileResponse)
def report_xlsx(barrio: OwnedBarrio, session: SessionDep) -> FileResponse:
    """The checklist by phase as an Excel workbook."""
    return xlsx_response(f"barrio-{barrio.id}-programme.xlsx", "programme", PHASE_HEADER,
                         phase_rows(timeline(session, barrio)))
