"""Surveys: load an XLSForm into a barrio, open and close, results with a chart per question, downloads."""

from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response, StreamingResponse

from api.barrios.models import Barrio
from api.kernel.deps import EngineDep, Id, SessionDep
from api.kernel.errors import Conflict, Invalid
from api.kernel.exports import csv_response, workbook_response
from api.surveys.export import about_export, layout, rows, workbook_sheets
from api.surveys.models import Survey
from api.surveys.results import results
from api.surveys.routes import MAX_XLSFORM_BYTES, media_files, public, xlsform_definition
from api.surveys.store import create_survey, move
from conversations.surveys.form import SurveyKind
from conversations.surveys.ports import SurveyStatus
from web.deps import PostingStaff, StaffDep
from web.pages.barrio import barrio_page
from web.pages.owned import page_of
from web.templating import render

router = APIRouter()


@router.post("/barrios/{barrio_id}/encuestas", response_class=HTMLResponse)
def upload(request: Request, barrio_id: Id, staff: PostingStaff, session: SessionDep,
           file: Annotated[UploadFile, File()],
           kind: Annotated[SurveyKind, Form()] = SurveyKind.DIAGNOSTICO,
           media: Annotated[list[UploadFile | str] | None, File()] = None) -> Response:
    """A new draft from an XLSForm; what is wrong with the file is shown on the barrio's page."""
    barrio = page_of(session, staff, Barrio, barrio_id)
    content = file.file.read(MAX_XLSFORM_BYTES + 1)
    try:
        if len(content) > MAX_XLSFORM_BYTES:
            raise Invalid("file: larger than 5 MB")
        # no CSV chosen: the browser sends one part without a file name, which arrives as text
        files = media_files([upload for upload in media or [] if not isinstance(upload, str) and upload.filename])
        survey = create_survey(session, barrio=barrio, kind=kind,
                               definition=xlsform_definition(content, files).definition)
    except Invalid as error:
        page = barrio_page(request, barrio_id, staff, session, request.app.state.bot_username, error=error.detail)
        page.status_code = 422
        return page
    return RedirectResponse(f"/consola/encuestas/{survey.id}", status_code=303)


@router.get("/encuestas/{survey_id}", response_class=HTMLResponse)
def survey_page(request: Request, survey_id: Id, staff: StaffDep, session: SessionDep, engine: EngineDep,
                error: str | None = None) -> HTMLResponse:
    survey = page_of(session, staff, Survey, survey_id)
    barrio = session.get(Barrio, survey.barrio_id)
    assert barrio is not None
    return render(request, "survey.html", timezone=barrio.timezone, staff=staff, barrio=barrio,
                  survey=public(survey), results=results(engine, survey), error=error)


@router.post("/encuestas/{survey_id}/{action}", response_class=HTMLResponse)
def change(request: Request, survey_id: Id, action: str, staff: PostingStaff, session: SessionDep,
           engine: EngineDep) -> Response:
    """Open a draft or close an open survey."""
    survey = page_of(session, staff, Survey, survey_id)
    target = {"abrir": SurveyStatus.OPEN, "cerrar": SurveyStatus.CLOSED}.get(action)
    try:
        if target is None:
            raise Conflict("unknown action")
        move(session, survey, target)
    except Conflict as error:
        page = survey_page(request, survey_id, staff, session, engine, error=error.detail)
        page.status_code = 409
        return page
    return RedirectResponse(f"/consola/encuestas/{survey_id}", status_code=303)


@router.get("/encuestas/{survey_id}/respuestas.csv", response_class=StreamingResponse)
def download_csv(survey_id: Id, staff: StaffDep, session: SessionDep, engine: EngineDep) -> StreamingResponse:
    survey, barrio = _with_barrio(session, staff, survey_id)
    shape = layout(survey, barrio.timezone, True, None)
    return csv_response(f"encuesta-{survey.id}.csv", shape.header, rows(engine, survey, shape))


@router.get("/encuestas/{survey_id}/respuestas.xlsx", response_class=FileResponse)
def download_xlsx(survey_id: Id, staff: StaffDep, session: SessionDep, engine: EngineDep) -> FileResponse:
    survey, barrio = _with_barrio(session, staff, survey_id)
    shape = layout(survey, barrio.timezone, True, None)
    about = about_export(shape, barrio, f"{staff.user.name} ({staff.ejecutor.name})")
    return workbook_response(f"encuesta-{survey.id}.xlsx", workbook_sheets(engine, survey, shape, about))


def _with_barrio(session: SessionDep, staff: StaffDep, survey_id: int) -> tuple[Survey, Barrio]:
    survey = page_of(session, staff, Survey, survey_id)
    barrio = session.get(Barrio, survey.barrio_id)
    assert barrio is not None
    return survey, barrio
