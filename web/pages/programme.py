"""A barrio's programme: the timeline as a chart with today marked, phases with editable dates, the
activities checklist (ticked with who and a note, or by the product's evidence), the reports by phase."""

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, Response, StreamingResponse
from sqlmodel import Session

from api.barrios.models import Barrio
from api.kernel.deps import SessionDep
from api.kernel.exports import csv_response, xlsx_response
from api.programme.models import ActivityTick, PhaseDates, Programme, ProgrammeStart
from api.programme.pdl_models import PdlValidation
from api.programme.report import PHASE_HEADER, phase_report, phase_rows
from api.programme.timeline import set_phase_dates, start_programme, tick, timeline, validate_pdl
from conversations.programme.phases import Phase
from web.deps import PageNotFound, PostingStaff, Staff
from web.forms import FormDep, parsed
from web.pages.owned import OwnedBarrio, PostedBarrio
from web.pages.programme_page import serve_programme_page
from web.pages.timeline_chart import chart
from web.templating import render, translator

router = APIRouter()


@serve_programme_page(router, "programa")
def programme_page(request: Request, staff: Staff, session: Session, barrio: Barrio, error: str | None = None,
                   status: int = 200) -> HTMLResponse:
    """The timeline drawn, the phases and their activities, the reports; or, not started, the form to start it."""
    started = session.get(Programme, barrio.id) is not None
    shown = timeline(session, barrio) if started else None
    drawn = chart(translator(request, barrio.timezone), shown.phases, shown.today) if shown else None
    return render(request, "programme.html", status=status, timezone=barrio.timezone, staff=staff, barrio=barrio,
                  timeline=shown, chart=drawn, report=phase_report(session, barrio) if started else None, error=error)


@router.post("/barrios/{barrio_id}/programa", response_class=HTMLResponse)
def start(request: Request, barrio: PostedBarrio, staff: PostingStaff, session: SessionDep, form: FormDep) -> Response:
    """Start (or move the start of) the programme: phases not edited by hand get their default dates."""
    return programme_page.after(request, staff, session, barrio, lambda: start_programme(
        session, barrio, parsed(ProgrammeStart, form).starts_on), "linea")


@router.post("/barrios/{barrio_id}/programa/fases/{phase}", response_class=HTMLResponse)
def phase_dates(request: Request, barrio: PostedBarrio, phase: str, staff: PostingStaff, session: SessionDep,
                form: FormDep) -> Response:
    if phase not in Phase.__members__.values():
        raise PageNotFound()
    return programme_page.after(request, staff, session, barrio, lambda: set_phase_dates(
        session, barrio, Phase(phase), parsed(PhaseDates, form)), "fases")


@router.post("/barrios/{barrio_id}/programa/actividades/{activity}", response_class=HTMLResponse)
def activity(request: Request, barrio: PostedBarrio, activity: str, staff: PostingStaff, session: SessionDep,
             form: FormDep) -> Response:
    """Tick an activity (the staff user is who did it, with a note) or untick it."""
    return programme_page.after(request, staff, session, barrio, lambda: tick(
        session, barrio, activity, parsed(ActivityTick, form, by=staff.user.name)), f"a-{activity}")


@router.post("/barrios/{barrio_id}/programa/validacion", response_class=HTMLResponse)
def validation(request: Request, barrio: PostedBarrio, staff: PostingStaff, session: SessionDep,
               form: FormDep) -> Response:
    """The day the community validated its PDL: Fase V starts then, unless its dates were set by hand."""
    return programme_page.after(request, staff, session, barrio, lambda: validate_pdl(
        session, barrio, parsed(PdlValidation, form).validated_on), "fases")


@router.get("/barrios/{barrio_id}/programa/informe.csv", response_class=StreamingResponse)
def report_csv(barrio: OwnedBarrio, session: SessionDep) -> StreamingResponse:
    _started(session, barrio)
    return csv_response(f"barrio-{barrio.id}-programme.csv", PHASE_HEADER, phase_rows(timeline(session, barrio)))


@router.get("/barrios/{barrio_id}/programa/informe.xlsx", response_class=FileResponse)
def report_xlsx(barrio: OwnedBarrio, session: SessionDep) -> FileResponse:
    _started(session, barrio)
    return xlsx_response(f"barrio-{barrio.id}-programme.xlsx", "programme", PHASE_HEADER,
                         phase_rows(timeline(session, barrio)))


def _started(session: SessionDep, barrio: Barrio) -> None:
    """No reports before the programme starts: the 404 page."""
    if session.get(Programme, barrio.id) is None:
        raise PageNotFound()
