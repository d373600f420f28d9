"""Surveys: load an XLSForm into a barrio, preview it as the chat will show it, open, close, copy or
delete a draft; results with a chart per question, within days and split by a question; downloads (the
responses, and the photos vecinos sent)."""

import re
from datetime import date
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response, StreamingResponse

from api.barrios.models import Barrio
from api.kernel.deps import EngineDep, Id, SessionDep
from api.kernel.errors import Conflict, Invalid
from api.kernel.exports import csv_response, file_response, workbook_response, zip_response
from api.privacy.log import exported
from api.surveys.export import about_export, layout, rows, workbook_sheets
from api.surveys.models import Survey
from api.surveys.photos import photo_count, photos_zip
from api.surveys.preview import survey_preview
from api.surveys.repeats import repeat_sheets, survey_tables
from api.surveys.results import results
from api.surveys.routes import MAX_XLSFORM_BYTES, media_files, public, window, xlsform_definition
from api.surveys.rows import Window
from api.surveys.store import Undeletable, create_survey, delete_draft, move, view
from api.surveys.xlsform_problems import Problem, UploadProblems
from conversations.kernel.i18n import LANGUAGE_NAMES
from conversations.surveys.ports import SurveyStatus
from conversations.surveys.questions import SurveyKind
from web.deps import PostingStaff, StaffDep
from web.pages.barrio import barrio_page
from web.pages.owned import page_of
from web.templating import render

router = APIRouter()
TYPED_DAY = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")  # 24-12-2026, as typed where there is no date picker


@router.post("/barrios/{barrio_id}/encuestas", response_class=HTMLResponse)
def upload(request: Request, barrio_id: Id, staff: PostingStaff, session: SessionDep,
           file: Annotated[UploadFile, File()],
           kind: Annotated[SurveyKind, Form()] = SurveyKind.DIAGNOSTICO,
           media: Annotated[list[UploadFile | str] | None, File()] = None) -> Response:
    """A new draft from an XLSForm; what is wrong with the file is shown on the barrio's page, every problem
    at once, in the staff user's language."""
    barrio = page_of(session, staff, Barrio, barrio_id)
    content = file.file.read(MAX_XLSFORM_BYTES + 1)
    try:
        if len(content) > MAX_XLSFORM_BYTES:
            raise Invalid(UploadProblems([Problem("", None, None, "too_large",
                                                  {"n": str(MAX_XLSFORM_BYTES // 1_000_000)})]))
        # no CSV chosen: the browser sends one part without a file name, which arrives as text
        files = media_files([upload for upload in media or [] if not isinstance(upload, str) and upload.filename])
        survey = create_survey(session, barrio=barrio, kind=kind,
                               definition=xlsform_definition(content, files).definition)
    except Invalid as error:
        page = barrio_page(request, barrio_id, staff, session, request.app.state.bot_username,
                           request.app.state.settings, error=error.detail)
        page.status_code = 422
        return page
    return RedirectResponse(f"/consola/encuestas/{survey.id}", status_code=303)


@router.get("/encuestas/{survey_id}", response_class=HTMLResponse)
def survey_page(request: Request, survey_id: Id, staff: StaffDep, session: SessionDep, engine: EngineDep,
                desde: str = "", hasta: str = "", por: str = "", error: str | None = None,
                status: int = 200) -> HTMLResponse:
    """The survey, its actions and its results, within the days chosen and split by the question chosen."""
    survey, barrio = _with_barrio(session, staff, survey_id)
    form = view(survey).form
    splits = [(q.name, form.text(q.label, form.default_language) or q.name)
              for q in form.asked if q.type == "select_one"]
    desde, hasta = _as_picked(desde), _as_picked(hasta)  # a typed 24-12-2026 back in the date picker's form
    filters = {"desde": desde, "hasta": hasta, "por": por}
    within = _window(session, survey, desde, hasta)
    if within is None:
        error, status, within = "days", 422, Window()
    by = por or None
    if by is not None and by not in dict(splits):
        error, status, by = "split", 422, None
    found = results(engine, survey, window=within, by=by)
    return render(request, "survey.html", status=status, timezone=barrio.timezone, staff=staff, barrio=barrio,
                  survey=public(survey), results=found, error=error, splits=splits, filters=filters,
                  query=_query(desde, hasta), repeats=bool(form.repeats), photos=photo_count(session, survey_id))


@router.get("/encuestas/{survey_id}/vista-previa", response_class=HTMLResponse)
def preview_page(request: Request, survey_id: Id, staff: StaffDep, session: SessionDep,
                 idioma: str | None = None) -> HTMLResponse:
    """The survey as vecinos will see it in the chat, step by step, in one of the chat's languages."""
    survey, barrio = _with_barrio(session, staff, survey_id)
    try:
        shown = survey_preview(survey, barrio, idioma)
    except Invalid:
        shown = survey_preview(survey, barrio)
    return render(request, "survey_preview.html", timezone=barrio.timezone, staff=staff, barrio=barrio,
                  survey=public(survey), preview=shown, chat_languages=LANGUAGE_NAMES)


@router.post("/encuestas/{survey_id}/{action}", response_class=HTMLResponse)
def change(request: Request, survey_id: Id, action: str, staff: PostingStaff, session: SessionDep,
           engine: EngineDep) -> Response:
    """Open a draft, close an open survey, copy one into a new draft, delete a draft nobody answered."""
    survey = page_of(session, staff, Survey, survey_id)
    barrio_id = survey.barrio_id
    try:
        if action == "copiar":
            barrio = session.get(Barrio, barrio_id)
            assert barrio is not None
            copy = create_survey(session, barrio=barrio, kind=survey.kind, definition=dict(survey.definition))
            return RedirectResponse(f"/consola/encuestas/{copy.id}", status_code=303)
        if action == "borrar":
            delete_draft(session, survey)
            return RedirectResponse(f"/consola/barrios/{barrio_id}", status_code=303)
        target = {"abrir": SurveyStatus.OPEN, "cerrar": SurveyStatus.CLOSED}.get(action)
        if target is None:
            raise Conflict("unknown action")
        move(session, survey, target)
    except Undeletable as refused:
        return survey_page(request, survey_id, staff, session, engine, error=refused.reason, status=409)
    except Conflict as refused:
        return survey_page(request, survey_id, staff, session, engine, error=refused.detail, status=409)
    return RedirectResponse(f"/consola/encuestas/{survey_id}", status_code=303)


@router.get("/encuestas/{survey_id}/respuestas.csv", response_class=StreamingResponse)
def download_csv(request: Request, survey_id: Id, staff: StaffDep, session: SessionDep, engine: EngineDep,
                 desde: str = "", hasta: str = "") -> Response:
    """Every response started within the days chosen, one row each."""
    return _download(request, survey_id, staff, session, engine, desde, hasta, "csv")


@router.get("/encuestas/{survey_id}/respuestas.xlsx", response_class=FileResponse)
def download_xlsx(request: Request, survey_id: Id, staff: StaffDep, session: SessionDep, engine: EngineDep,
                  desde: str = "", hasta: str = "") -> Response:
    """The same table as the CSV, as an Excel workbook."""
    return _download(request, survey_id, staff, session, engine, desde, hasta, "xlsx")


@router.get("/encuestas/{survey_id}/respuestas.zip", response_class=FileResponse)
def download_zip(request: Request, survey_id: Id, staff: StaffDep, session: SessionDep, engine: EngineDep,
                 desde: str = "", hasta: str = "") -> Response:
    """The responses' CSV and one CSV per repeat, in a ZIP."""
    return _download(request, survey_id, staff, session, engine, desde, hasta, "zip")


@router.get("/encuestas/{survey_id}/fotos.zip", response_class=FileResponse)
def download_photos(survey_id: Id, staff: StaffDep, session: SessionDep, engine: EngineDep) -> Response:
    """Every stored photo of the survey, named by respondent and question, in a ZIP."""
    survey, _ = _with_barrio(session, staff, survey_id)
    exported(session, survey.barrio_id, f"survey {survey.id} photos.zip", staff.actor)
    return file_response(f"encuesta-{survey.id}-fotos.zip", "application/zip", lambda: photos_zip(engine, survey))


def _download(request: Request, survey_id: int, staff: StaffDep, session: SessionDep, engine: EngineDep,
              desde: str, hasta: str, kind: str) -> Response:
    """The responses started within the days chosen as CSV, Excel or a ZIP of CSVs; the page saying what is
    wrong with the days."""
    survey, barrio = _with_barrio(session, staff, survey_id)
    within = _window(session, survey, desde, hasta)
    if within is None:
        return survey_page(request, survey_id, staff, session, engine, desde, hasta, error="days", status=422)
    exported(session, survey.barrio_id, f"survey {survey.id} responses.{kind}", staff.actor)
    shape = layout(survey, barrio.timezone, True, None)
    table = rows(engine, survey, shape, within)
    if kind == "csv":
        return csv_response(f"encuesta-{survey.id}.csv", shape.header, table)
    if kind == "zip":
        return zip_response(f"encuesta-{survey.id}.zip", survey_tables(engine, survey, shape, within))
    about = about_export(shape, barrio, f"{staff.user.name} ({staff.ejecutor.name})")
    sheets = workbook_sheets(engine, survey, shape, about, within, more=repeat_sheets(engine, survey, shape, within))
    return workbook_response(f"encuesta-{survey.id}.xlsx", sheets)


def _with_barrio(session: SessionDep, staff: StaffDep, survey_id: int) -> tuple[Survey, Barrio]:
    survey = page_of(session, staff, Survey, survey_id)
    barrio = session.get(Barrio, survey.barrio_id)
    assert barrio is not None
    return survey, barrio


def _window(session: SessionDep, survey: Survey, desde: str, hasta: str) -> Window | None:
    """The responses started within the days typed; None when they are not days, or reversed."""
    try:
        return window(session, survey, _day(desde), _day(hasta))
    except Invalid:
        return None


def _day(typed: str) -> date | None:
    """A day from the date picker (2026-12-24) or typed as in Chile (24-12-2026); None when empty."""
    typed = typed.strip()
    if not typed:
        return None
    try:
        found = TYPED_DAY.fullmatch(typed)
        if found:
            return date(int(found[3]), int(found[2]), int(found[1]))
        return date.fromisoformat(typed)
    except ValueError as error:
        raise Invalid(f"desde, hasta: {typed!r} is not a day (24-12-2026)") from error


def _as_picked(typed: str) -> str:
    """A day as the date picker holds it (2026-12-24), or what was typed when it is not a day."""
    try:
        day = _day(typed)
    except Invalid:
        return typed
    return day.isoformat() if day else ""


def _query(desde: str, hasta: str) -> str:
    """The days chosen, for the download links."""
    chosen = {name: value for name, value in (("desde", desde), ("hasta", hasta)) if value}
    return f"?{urlencode(chosen)}" if chosen else ""
