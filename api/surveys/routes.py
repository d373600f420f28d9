"""Surveys of the caller's barrios: load (JSON or XLSForm), open, close, copy, delete a draft, preview,
results (within days, split by a question), exports, summaries."""

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, Form, Header, HTTPException, Query, Response, UploadFile, status
from fastapi.responses import FileResponse, JSONResponse, StreamingResponse
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
    UploadProblem,
    UploadProblems,
)
from api.surveys.preview import survey_preview
from api.surveys.repeats import repeat_layout, repeat_rows, repeat_sheets, survey_tables
from api.surveys.results import results
from api.surveys.rows import Window
from api.surveys.store import create_survey, delete_draft, move, question_count, view
from api.surveys.summary import publish as publish_summary
from api.surveys.summary import summary_preview
from api.surveys.xlsform import Imported, XLSFormError, read_xlsform
from api.surveys.xlsform_problems import STAFF_LANGUAGES, Problem, staff_language
from api.surveys.xlsform_problems import UploadProblems as Rejected
from conversations.kernel.i18n import Translator
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


def staff_locale(lang: Annotated[str | None, Query(max_length=8, description="the language of the messages: es or "
                                                   "en (else Accept-Language; es if neither)")] = None,
                 accept_language: Annotated[str | None, Header(max_length=200)] = None) -> str:
    """The language staff asked their messages in: `lang`, else Accept-Language, else Spanish."""
    chosen = staff_language(lang, accept_language)
    if chosen is None:
        raise Invalid(f"lang: messages are in {', '.join(STAFF_LANGUAGES)}")
    return chosen


StaffLocale = Annotated[str, Depends(staff_locale)]


def public(survey: Survey) -> SurveyPublic:
    return SurveyPublic(**survey.model_dump(exclude={"salt"}), questions=question_count(survey))


@router.post("", status_code=status.HTTP_201_CREATED, response_model=SurveyPublic)
def add_survey(data: SurveyCreate, session: SessionDep, ejecutor: CurrentEjecutor) -> SurveyPublic:
    """Create a draft survey from a JSON definition."""
    barrio = owned(session, ejecutor, Barrio, data.barrio_id)
    definition = data.model_dump(exclude={"barrio_id", "kind"}, exclude_none=True)
    return public(create_survey(session, barrio=barrio, kind=data.kind, definition=definition))


@router.post("/xlsform", status_code=status.HTTP_201_CREATED, response_model=SurveyPublic,
             responses={422: {"model": UploadProblems, "description": "The form cannot be loaded: every problem, "
                                                                      "with its code, sheet, row and column"}})
def add_survey_from_xlsform(session: SessionDep, barrio: BarrioInForm, file: Annotated[UploadFile, File()],
                            locale: StaffLocale, kind: Annotated[SurveyKind, Form()] = SurveyKind.DIAGNOSTICO,
                            media: Annotated[list[UploadFile] | None, File(
                                description="CSVs beside the form, for select_one_from_file and "
                                            "select_multiple_from_file (by the file name the form uses)")] = None,
                            ) -> SurveyPublic | JSONResponse:
    """Create a draft survey from an XLSForm (.xlsx with survey, choices and settings sheets); what is wrong
    with it comes back all at once, in the language asked (`lang` or Accept-Language: es, en)."""
    content = file.file.read(MAX_XLSFORM_BYTES + 1)
    if len(content) > MAX_XLSFORM_BYTES:
        raise HTTPException(status.HTTP_413_REQUEST_ENTITY_TOO_LARGE, "the XLSForm is larger than 5 MB")
    t = Translator(locale)
    try:
        imported = xlsform_definition(content, media_files(media or []))
    except Invalid as error:
        if isinstance(error.detail, Rejected):
            return upload_problems(error.detail.problems, t)
        raise
    survey = create_survey(session, barrio=barrio, kind=kind, definition=imported.definition)
    return public(survey).model_copy(update={"warnings": [warning.line(t) for warning in imported.warnings]})


def upload_problems(problems: list[Problem], t: Translator) -> JSONResponse:
    """The 422 of a form that cannot be loaded: each problem's code, place and words in `t`'s language."""
    errors = [UploadProblem(code=p.code, sheet=p.sheet, row=p.row, column=p.column, message=p.message(t))
              for p in problems]
    body = UploadProblems(detail="\n".join(p.line(t) for p in problems), errors=errors)
    return JSONResponse(body.model_dump(), status_code=422)


def media_files(uploads: list[UploadFile]) -> dict[str, bytes]:
    """The CSVs uploaded beside a form, by file name; Invalid (with the upload's problems) past the limits."""
    if len(uploads) > MAX_MEDIA_FILES:
        raise Invalid(Rejected([Problem("", None, None, "too_many_files", {"n": str(MAX_MEDIA_FILES)})]))
    files: dict[str, bytes] = {}
    for upload in uploads:
        content = upload.file.read(MAX_MEDIA_BYTES + 1)
        if len(content) > MAX_MEDIA_BYTES:
            raise Invalid(Rejected([Problem("", None, None, "file_too_large", {
                "file": upload.filename or "", "n": str(MAX_MEDIA_BYTES // 1_000_000)})]))
        files[(upload.filename or "").rsplit("/", 1)[-1]] = content
    return files


def xlsform_definition(content: bytes, files: dict[str, bytes] | None = None) -> Imported:
    """A survey definition from an XLSForm file, checked as a JSON survey is; Invalid's detail keeps every
    problem (an `UploadProblems`) for the reader's language."""
    try:
        imported = read_xlsform(content, files)
        SurveyDefinition.model_validate(imported.definition)  # the same limits as a JSON survey
    except XLSFormError as error:
        raise Invalid(Rejected(error.problems)) from error
    except ValidationError as error:
        raise Invalid(Rejected([_limit(found, imported) for found in error.errors()])) from error
    return imported


def _limit(error: Any, imported: Imported) -> Problem:
    """A limit the definition passes (a text too long, too many choices), on the row of the question."""
    column = next((str(part) for part in reversed(error["loc"]) if isinstance(part, str)), None)
    item: Any = imported.definition
    name = ""
    for part in error["loc"]:  # ("questions", 6, "label", "es"): the question it is in
        try:
            item = item[part]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(item, dict) and isinstance(item.get("name"), str) and "type" in item:
            name = item["name"]
    row = imported.rows.get(name)
    limits = error.get("ctx") or {}
    if error["type"] in ("string_too_long", "too_long"):
        code = "too_long" if error["type"] == "string_too_long" else "too_many"
        return Problem("survey", row, column, code, {"n": str(limits.get("max_length", ""))})
    return Problem("survey", row, column, "invalid", {"said": str(error["msg"])})


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
