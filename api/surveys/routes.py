"""Surveys of the caller's barrios: load (JSON or XLSForm), open, close, copy, delete a draft, preview,
results (within days, split by a question), exports, summaries."""

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, File, Form, HTTPException, Query, Response, UploadFile, status
from fastapi.responses import FileResponse, StreamingResponse
from pydantic import ValidationError
from sqlmodel import Session, select

from api.barrios.deps import ActingStaff, BarrioInForm, BarrioInQuery, CurrentEjecutor, ExportDep, owned, owned_by
from api.barrios.models import Barrio
from api.kernel.deps import EngineDep, SessionDep
from api.kernel.errors import ERROR_RESPONSES, Invalid
from api.kernel.exports import DIALECTS, csv_response, workbook_response, zip_response
from api.kernel.paging import PAGED, PagingDep
from api.kernel.types import EARLIEST, LATEST
from api.privacy.log import exported
from api.surveys.export import about_export, checked_language, layout, rows, workbook_sheets
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
from api.surveys.repeats import repeat_layout, repeat_rows, repeat_sheets, survey_tables
from api.surveys.results import results
from api.surveys.rows import Window
from api.surveys.store import create_survey, delete_draft, move, question_count, view
from api.surveys.summary import publish as publish_summary
from api.surveys.summary import summary_preview
from api.surveys.xlsform import Imported, XLSFormError, read_xlsform
from conversations.surveys.ports import SurveyStatus
from conversations.surveys.questions import SurveyKind

router = APIRouter(prefix="/api/surveys", tags=["surveys"], responses=ERROR_RESPONSES)
MAX_XLSFORM_BYTES = 5_000_000
MAX_MEDIA_FILES, MAX_MEDIA_BYTES = 10, 2_000_000  # CSVs of choices beside a form
Labels = Annotated[bool, Query(description="choice labels and question labels instead of codes")]
Short = Annotated[bool, Query(description="question names without the path of groups around them")]
Language = Annotated[str | None, Query(max_length=8, description="label language, one the form has (else 422 "
                                                                   "listing them); the form's default if omitted")]
Dialect = Annotated[Literal["standard", "excel-cl"], Query(
    description="standard (the default): ',' between fields, '.' in decimals; excel-cl: ';' and decimal commas, "
                "as Excel set up for Chile reads them. Both UTF-8 with a byte-order mark")]
Repeat = Annotated[str | None, Query(max_length=64, description="a repeat's name: its table (one row per instance)")]
Since = Annotated[date | None, Query(description="only responses started on this day or later (barrio's time zone)")]
Until = Annotated[date | None, Query(description="only responses started on this day or earlier (barrio's time zone)")]
By = Annotated[str | None, Query(max_length=64, description="also split the results by this single-choice question")]


OwnedSurvey = Annotated[Survey, Depends(owned_by(Survey, "survey_id"))]


def survey_language(survey: OwnedSurvey, lang: Language = None) -> str | None:
    """The `lang` asked, if the survey has labels in it; else 422 listing the survey's languages."""
    return checked_language(view(survey).form, lang)


SurveyLanguage = Annotated[str | None, Depends(survey_language)]


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
                            kind: Annotated[SurveyKind, Form()] = SurveyKind.DIAGNOSTICO,
                            media: Annotated[list[UploadFile] | None, File(
                                description="CSVs beside the form, for select_one_from_file and "
                                            "select_multiple_from_file (by the file name the form uses)")] = None,
                            ) -> SurveyPublic:
    """Create a draft survey from an XLSForm (.xlsx with survey, choices and settings sheets)."""
    content = file.file.read(MAX_XLSFORM_BYTES + 1)
    if len(content) > MAX_XLSFORM_BYTES:
        raise HTTPException(status.HTTP_413_REQUEST_ENTITY_TOO_LARGE, "the XLSForm is larger than 5 MB")
    imported = xlsform_definition(content, media_files(media or []))
    survey = create_survey(session, barrio=barrio, kind=kind, definition=imported.definition)
    return public(survey).model_copy(update={"warnings": imported.warnings})


def media_files(uploads: list[UploadFile]) -> dict[str, bytes]:
    """The CSVs uploaded beside a form, by file name; 413 or 422 past the limits."""
    if len(uploads) > MAX_MEDIA_FILES:
        raise Invalid(f"media: at most {MAX_MEDIA_FILES} files beside a form")
    files: dict[str, bytes] = {}
    for upload in uploads:
        content = upload.file.read(MAX_MEDIA_BYTES + 1)
        if len(content) > MAX_MEDIA_BYTES:
            raise HTTPException(status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
                                f"media: {upload.filename} is larger than {MAX_MEDIA_BYTES // 1_000_000} MB")
        files[(upload.filename or "").rsplit("/", 1)[-1]] = content
    return files


def xlsform_definition(content: bytes, files: dict[str, bytes] | None = None) -> Imported:
    """A survey definition from an XLSForm file, checked as a JSON survey is; Invalid lists every problem."""
    try:
        imported = read_xlsform(content, files)
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
def survey_results(survey: OwnedSurvey, session: SessionDep, engine: EngineDep, lang: SurveyLanguage,
                   since: Since = None, until: Until = None, by: By = None) -> SurveyResults:
    """Responses started and completed; per question counts and shares, mean and median, sample texts.

    `since`/`until` keep the responses started between those days; `by` adds the same results
    for each answer to that single-choice question (`groups`)."""
    return results(engine, survey, lang, window(session, survey, since, until), by)


@router.get("/{survey_id}/responses.csv", response_class=StreamingResponse)
def responses_csv(survey: OwnedSurvey, slot: ExportDep, session: SessionDep, engine: EngineDep, by: ActingStaff,
                  lang: SurveyLanguage, labels: Labels = False, short: Short = False, dialect: Dialect = "standard",
                  repeat: Repeat = None, since: Since = None, until: Until = None) -> StreamingResponse:
    """One row per response, one column per question (0/1 columns per choice of a multiple choice);
    with `repeat`, that repeat's table: one row per instance, linked to its response by `_parent_index`
    (the responses' `_index`, with the same options and days)."""
    within = window(session, survey, since, until)
    shape = layout(survey, _timezone(session, survey), labels, lang, short)
    if repeat is not None:
        table = repeat_layout(shape, repeat)
        exported(session, survey.barrio_id, f"survey {survey.id} responses.csv of repeat {repeat}", by)
        return csv_response(f"survey-{survey.id}-{repeat}.csv", table.header,
                            repeat_rows(engine, survey, table, within), slot, DIALECTS[dialect])
    exported(session, survey.barrio_id, f"survey {survey.id} responses.csv", by)
    return csv_response(f"survey-{survey.id}.csv", shape.header, rows(engine, survey, shape, within), slot,
                        DIALECTS[dialect])


@router.get("/{survey_id}/responses.zip", response_class=FileResponse,
            responses={200: {"content": {"application/zip": {}}}})
def responses_zip(survey: OwnedSurvey, slot: ExportDep, session: SessionDep, engine: EngineDep, by: ActingStaff,
                  lang: SurveyLanguage, labels: Labels = False, short: Short = False, dialect: Dialect = "standard",
                  since: Since = None, until: Until = None) -> FileResponse:
    """The responses' CSV (`survey-<id>.csv`) and each repeat's (`survey-<id>-<repeat>.csv`), as `responses.csv`
    and `responses.csv?repeat=` give them, in one ZIP: a repeat's `_parent_index` is the responses' `_index`."""
    within = window(session, survey, since, until)
    shape = layout(survey, _timezone(session, survey), labels, lang, short)
    exported(session, survey.barrio_id, f"survey {survey.id} responses.zip", by)
    return zip_response(f"survey-{survey.id}.zip", survey_tables(engine, survey, shape, within), slot,
                        DIALECTS[dialect])


@router.get("/{survey_id}/responses.xlsx", response_class=FileResponse)
def responses_xlsx(survey: OwnedSurvey, slot: ExportDep, session: SessionDep, engine: EngineDep, by: ActingStaff,
                   ejecutor: CurrentEjecutor, lang: SurveyLanguage, labels: Labels = False, short: Short = False,
                   since: Since = None, until: Until = None) -> FileResponse:
    """The same table as the CSV, typed, after an `info` sheet (what the file is) and a `variables` sheet
    (the dictionary of columns); then a sheet per repeat (one row per instance)."""
    within = window(session, survey, since, until)
    exported(session, survey.barrio_id, f"survey {survey.id} responses.xlsx", by)
    barrio = _barrio(session, survey)
    shape = layout(survey, barrio.timezone, labels, lang, short)
    about = about_export(shape, barrio, ejecutor.name)
    sheets = workbook_sheets(engine, survey, shape, about, within, more=repeat_sheets(engine, survey, shape, within))
    return workbook_response(f"survey-{survey.id}.xlsx", sheets, slot)


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
