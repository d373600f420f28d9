"""Surveys of the caller's barrios: load (JSON or XLSForm), open, close, copy, delete a draft, preview,
results (within days, split by a question), exports, summaries."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, HTTPException, Query, Response, UploadFile, status
from fastapi.responses import FileResponse, StreamingResponse
from pydantic import ValidationError
from sqlmodel import Session, select

from api.barrios.deps import ActingStaff, BarrioInForm, BarrioInQuery, CurrentEjecutor, ExportDep, owned
from api.barrios.models import Barrio
from api.kernel.deps import EngineDep, Id, SessionDep
from api.kernel.errors import ERROR_RESPONSES, Invalid
from api.kernel.exports import csv_response, xlsx_response
from api.kernel.paging import PAGED, PagingDep
from api.kernel.types import EARLIEST, LATEST
from api.privacy.log import exported
from api.surveys.export import layout, rows
from api.surveys.models import (
    Published,
    Survey,
    SurveyCopy,
    SurveyCreate,
    SurveyDefinition,
    SurveyPreview,
    SurveyPublic,
    SurveyResults,
    SurveySummary,
)
from api.surveys.preview import survey_preview
from api.surveys.repeats import MAIN_SHEET, repeat_layout, repeat_rows, repeat_sheets
from api.surveys.results import results
from api.surveys.rows import Window
from api.surveys.store import create_survey, delete_draft, move, question_count
from api.surveys.summary import publish as publish_summary
from api.surveys.summary import summary_preview
from api.surveys.xlsform import Imported, XLSFormError, read_xlsform
from conversations.surveys.form import SurveyKind
from conversations.surveys.ports import SurveyStatus

router = APIRouter(prefix="/api/surveys", tags=["surveys"], responses=ERROR_RESPONSES)
MAX_XLSFORM_BYTES = 5_000_000
Labels = Annotated[bool, Query(description="choice labels and question labels instead of codes")]
Short = Annotated[bool, Query(description="question names without the path of groups around them")]
Language = Annotated[str | None, Query(max_length=8, description="label language; the form's default if omitted")]
Repeat = Annotated[str | None, Query(max_length=64, description="a repeat's name: its table (one row per instance)")]
Since = Annotated[date | None, Query(description="only responses started on this day or later (barrio's time zone)")]
Until = Annotated[date | None, Query(description="only responses started on this day or earlier (barrio's time zone)")]
By = Annotated[str | None, Query(max_length=64, description="also split the results by this single-choice question")]


def owned_survey(survey_id: Id, session: SessionDep, ejecutor: CurrentEjecutor) -> Survey:
    return owned(session, ejecutor, Survey, survey_id)


OwnedSurvey = Annotated[Survey, Depends(owned_survey)]


def public(survey: Survey) -> SurveyPublic:
    return SurveyPublic(**survey.model_dump(exclude={"salt"}), questions=question_count(survey))


@router.post("", status_code=status.HTTP_201_CREATED, response_model=SurveyPublic)
def add_survey(data: SurveyCreate, session: SessionDep, ejecutor: CurrentEjecutor) -> SurveyPublic:
    """Create a draft survey from a JSON definition."""
    barrio = owned(session, ejecutor, Barrio, data.barrio_id)
    definition = data.model_dump(exclude={"barrio_id", "kind"}, exclude_none=True)
    return public(create_survey(session, barrio=barrio, kind=data.kind, definition=definition))


@router.post("/xlsform", status_code=status.HTTP_201_CREATED, response_model=SurveyPublic)
def add_survey_from_xlsform(session: SessionDep, barrio: BarrioInForm, file: Annotated[UploadFile, File()],
                            kind: Annotated[SurveyKind, Form()] = SurveyKind.DIAGNOSTICO) -> SurveyPublic:
    """Create a draft survey from an XLSForm (.xlsx with survey, choices and settings sheets)."""
    content = file.file.read(MAX_XLSFORM_BYTES + 1)
    if len(content) > MAX_XLSFORM_BYTES:
        raise HTTPException(status.HTTP_413_REQUEST_ENTITY_TOO_LARGE, "the XLSForm is larger than 5 MB")
    imported = xlsform_definition(content)
    survey = create_survey(session, barrio=barrio, kind=kind, definition=imported.definition)
    return public(survey).model_copy(update={"warnings": imported.warnings})


def xlsform_definition(content: bytes) -> Imported:
    """A survey definition from an XLSForm file, checked as a JSON survey is; Invalid lists every problem."""
    try:
        imported = read_xlsform(content)
        SurveyDefinition.model_validate(imported.definition)  # the same limits as a JSON survey
    except XLSFormError as error:
        raise Invalid(str(error)) from error
    except ValidationError as error:
        problems = [f"survey sheet: {'.'.join(str(part) for part in p['loc'])}: {p['msg']}" for p in error.errors()]
        raise Invalid("\n".join(problems)) from error
    return imported


@router.get("", response_model=list[SurveyPublic], responses=PAGED)
def list_surveys(session: SessionDep, barrio: BarrioInQuery, paging: PagingDep) -> list[SurveyPublic]:
    """The surveys of one of the caller's barrios (paged)."""
    surveys = paging.rows(session, select(Survey).where(Survey.barrio_id == barrio.id).order_by(Survey.id))  # type: ignore[arg-type]
    return [public(s) for s in surveys]


@router.get("/{survey_id}", response_model=SurveyPublic)
def get_survey(survey: OwnedSurvey) -> SurveyPublic:
    return public(survey)


@router.post("/{survey_id}/open", response_model=SurveyPublic)
def open_survey(survey: OwnedSurvey, session: SessionDep) -> SurveyPublic:
    """draft -> open: vecinos of the barrio can answer it in the chat."""
    return public(move(session, survey, SurveyStatus.OPEN))


@router.post("/{survey_id}/close", response_model=SurveyPublic)
def close_survey(survey: OwnedSurvey, session: SessionDep) -> SurveyPublic:
    """open -> closed: no more answers or changes."""
    return public(move(session, survey, SurveyStatus.CLOSED))


@router.post("/{survey_id}/copy", status_code=status.HTTP_201_CREATED, response_model=SurveyPublic)
def copy_survey(survey: OwnedSurvey, data: SurveyCopy, session: SessionDep, ejecutor: CurrentEjecutor) -> SurveyPublic:
    """The same definition as a new draft in another of the caller's barrios."""
    barrio = owned(session, ejecutor, Barrio, data.barrio_id)
    return public(create_survey(session, barrio=barrio, kind=survey.kind, definition=dict(survey.definition)))


@router.delete("/{survey_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_survey(survey: OwnedSurvey, session: SessionDep) -> Response:
    """Delete a draft nobody has answered (409 for an opened survey or one with answers)."""
    delete_draft(session, survey)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/{survey_id}/preview", response_model=SurveyPreview)
def preview_survey(survey: OwnedSurvey, session: SessionDep, lang: Language = None) -> SurveyPreview:
    """What the chat will say through the survey, step by step, with the buttons it offers."""
    barrio = session.get(Barrio, survey.barrio_id)
    assert barrio is not None
    return survey_preview(survey, barrio, lang)


@router.get("/{survey_id}/results", response_model=SurveyResults)
def survey_results(survey: OwnedSurvey, session: SessionDep, engine: EngineDep, lang: Language = None,
                   since: Since = None, until: Until = None, by: By = None) -> SurveyResults:
    """Responses started and completed; per question counts and shares, mean and median, sample texts.

    `since`/`until` keep the responses started between those days; `by` adds the same results
    for each answer to that single-choice question (`groups`)."""
    return results(engine, survey, lang, window(session, survey, since, until), by)


@router.get("/{survey_id}/responses.csv", response_class=StreamingResponse)
def responses_csv(survey: OwnedSurvey, slot: ExportDep, session: SessionDep, engine: EngineDep, by: ActingStaff,
                  labels: Labels = False, lang: Language = None, short: Short = False,
                  repeat: Repeat = None, since: Since = None, until: Until = None) -> StreamingResponse:
    """One row per response, one column per question (0/1 columns per choice of a multiple choice);
    with `repeat`, that repeat's table: one row per instance, linked to its response by `_parent_index`."""
    within = window(session, survey, since, until)
    shape = layout(survey, _timezone(session, survey), labels, lang, short)
    if repeat is not None:
        table = repeat_layout(shape, repeat)
        exported(session, survey.barrio_id, f"survey {survey.id} responses.csv of repeat {repeat}", by)
        return csv_response(f"survey-{survey.id}-{repeat}.csv", table.header,
                            repeat_rows(engine, survey, table, within), slot)
    exported(session, survey.barrio_id, f"survey {survey.id} responses.csv", by)
    return csv_response(f"survey-{survey.id}.csv", shape.header, rows(engine, survey, shape, within), slot)


@router.get("/{survey_id}/responses.xlsx", response_class=FileResponse)
def responses_xlsx(survey: OwnedSurvey, slot: ExportDep, session: SessionDep, engine: EngineDep, by: ActingStaff,
                   labels: Labels = False, lang: Language = None, short: Short = False,
                   since: Since = None, until: Until = None) -> FileResponse:
    """The same table as the CSV, as an Excel workbook; then a sheet per repeat (one row per instance)."""
    within = window(session, survey, since, until)
    exported(session, survey.barrio_id, f"survey {survey.id} responses.xlsx", by)
    shape = layout(survey, _timezone(session, survey), labels, lang, short)
    return xlsx_response(f"survey-{survey.id}.xlsx", MAIN_SHEET, shape.header, rows(engine, survey, shape, within),
                         slot, more=repeat_sheets(engine, survey, shape, within))


Chosen = Annotated[list[str] | None, Query(
    max_length=200, description="questions of the summary, by name; the first six choice or scale questions if none")]
Approved = Annotated[str, Query(min_length=1, max_length=64, description="the version of the preview staff read")]


@router.get("/{survey_id}/summary", response_model=SurveySummary)
def preview_summary(survey: OwnedSurvey, session: SessionDep, engine: EngineDep,
                    question: Chosen = None) -> SurveySummary:
    """The results summary the vecinos would read, in each language, with these questions; its version."""
    return summary_preview(engine, survey, _barrio(session, survey), question)


@router.post("/{survey_id}/publish", response_model=Published)
def publish(survey: OwnedSurvey, session: SessionDep, engine: EngineDep, approved: Approved,
            question: Chosen = None) -> Published:
    """Send the previewed summary of a closed survey to the barrio's vecinos, who can read it later in the chat."""
    return publish_summary(session, engine, survey, _barrio(session, survey), question, approved)


def _barrio(session: Session, survey: Survey) -> Barrio:
    barrio = session.get(Barrio, survey.barrio_id)
    assert barrio is not None
    return barrio


def window(session: Session, survey: Survey, since: date | None, until: date | None) -> Window:
    """The responses started from day `since` to day `until` in the barrio's time zone (422 if reversed)."""
    if any(day is not None and not EARLIEST.date() <= day < LATEST.date() for day in (since, until)):
        raise Invalid(f"since, until: days from {EARLIEST.date()} to {LATEST.date()}")
    if since is not None and until is not None and since > until:
        raise Invalid("since: the first day comes after the last one (until)")
    return Window.days(since, until, _timezone(session, survey))


def _timezone(session: Session, survey: Survey) -> str:
    """The time zone of the survey's barrio, in which exports show dates."""
    return _barrio(session, survey).timezone
