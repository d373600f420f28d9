"""Surveys of the caller's barrios: load (JSON or XLSForm), open, close, copy, results, exports."""

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, File, Form, HTTPException, Path, Query, Response, UploadFile, status
from fastapi.responses import FileResponse, StreamingResponse
from pydantic import ValidationError
from sqlmodel import Session, select

from api.barrios.deps import BarrioInForm, BarrioInQuery, CurrentEjecutor, ExportDep, owned
from api.barrios.models import Barrio
from api.kernel.deps import EngineDep, Id, SessionDep
from api.kernel.errors import ERROR_RESPONSES, Conflict, Invalid, NotFound
from api.kernel.exports import DIALECTS, csv_response, workbook_response
from api.outbox.enqueue import enqueue
from api.privacy.log import exported
from api.surveys.export import about_export, checked_language, layout, rows, workbook_sheets
from api.surveys.models import (
    Published,
    Survey,
    SurveyCopy,
    SurveyCreate,
    SurveyDefinition,
    SurveyPublic,
    SurveyResults,
)
from api.surveys.photos import PhotoSource, photo_reference, photo_source
from api.surveys.results import results, tallies
from api.surveys.store import create_survey, move, question_count, view
from api.surveys.xlsform import Imported, XLSFormError, read_xlsform
from conversations.surveys.form import Form as SurveyForm
from conversations.surveys.form import SurveyKind
from conversations.surveys.ports import SurveyStatus
from conversations.surveys.summary import summary_reply

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


def owned_survey(survey_id: Id, session: SessionDep, ejecutor: CurrentEjecutor) -> Survey:
    return owned(session, ejecutor, Survey, survey_id)


OwnedSurvey = Annotated[Survey, Depends(owned_survey)]


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


@router.get("", response_model=list[SurveyPublic])
def list_surveys(session: SessionDep, barrio: BarrioInQuery) -> list[SurveyPublic]:
    """The surveys of one of the caller's barrios."""
    surveys = session.exec(select(Survey).where(Survey.barrio_id == barrio.id).order_by(Survey.id)).all()  # type: ignore[arg-type]
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


@router.get("/{survey_id}/results", response_model=SurveyResults)
def survey_results(survey: OwnedSurvey, engine: EngineDep, lang: SurveyLanguage) -> SurveyResults:
    """Responses started and completed; per question counts and shares, mean and median, sample texts."""
    return results(engine, survey, lang)


@router.get("/{survey_id}/responses.csv", response_class=StreamingResponse)
def responses_csv(survey: OwnedSurvey, slot: ExportDep, session: SessionDep, engine: EngineDep, lang: SurveyLanguage,
                  labels: Labels = False, short: Short = False, dialect: Dialect = "standard") -> StreamingResponse:
    """One row per response, one column per question (0/1 columns per choice of a multiple choice)."""
    exported(session, survey.barrio_id, f"survey {survey.id} responses.csv")
    shape = layout(survey, _barrio(session, survey).timezone, labels, lang, short)
    return csv_response(f"survey-{survey.id}.csv", shape.header, rows(engine, survey, shape), slot, DIALECTS[dialect])


@router.get("/{survey_id}/responses.xlsx", response_class=FileResponse)
def responses_xlsx(survey: OwnedSurvey, slot: ExportDep, session: SessionDep, engine: EngineDep,
                   ejecutor: CurrentEjecutor, lang: SurveyLanguage, labels: Labels = False,
                   short: Short = False) -> FileResponse:
    """The same table as the CSV, typed, after an `info` sheet (what the file is) and a `variables` sheet
    (the dictionary of columns)."""
    exported(session, survey.barrio_id, f"survey {survey.id} responses.xlsx")
    barrio = _barrio(session, survey)
    shape = layout(survey, barrio.timezone, labels, lang, short)
    about = about_export(shape, barrio, ejecutor.name)
    return workbook_response(f"survey-{survey.id}.xlsx", workbook_sheets(engine, survey, shape, about), slot)


@router.get("/{survey_id}/photos/{respondent}/{question}", response_class=Response,
            responses={200: {"content": {"image/jpeg": {}}}})
def survey_photo(survey: OwnedSurvey, respondent: Annotated[str, Path(max_length=12)],
                 question: Annotated[str, Path(max_length=64)], session: SessionDep,
                 source: Annotated[PhotoSource | None, Depends(photo_source)]) -> Response:
    """A photo a vecino sent as an answer (the export links each one here), fetched from the chat channel now."""
    reference = photo_reference(session, survey, view(survey).form, respondent, question)
    if reference is None:
        raise NotFound(f"no photo of respondent {respondent} for {question!r} in survey {survey.id}")
    if source is None:
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, "photos are fetched from Telegram: the bot is off")
    content = source.fetch(reference)
    if content is None:
        raise NotFound(f"Telegram no longer has the photo of respondent {respondent} for {question!r}")
    exported(session, survey.barrio_id, f"survey {survey.id} photo {question}")
    return Response(content, media_type="image/jpeg")


@router.post("/{survey_id}/publish", response_model=Published)
def publish(survey: OwnedSurvey, session: SessionDep, engine: EngineDep) -> Published:
    """Queue a short summary of a closed survey's results to every participant, in their language."""
    if survey.status != SurveyStatus.CLOSED:
        raise Conflict(f"survey {survey.id} is {survey.status}; close it first")
    barrio = session.get(Barrio, survey.barrio_id)
    assert barrio is not None and survey.id is not None
    found = results(engine, survey)
    form, main = SurveyForm.load(survey.definition), tallies(found)
    queued = enqueue(session, barrio=barrio, kind="survey_results", ref_id=survey.id,
                     render=lambda t, _member: summary_reply(t, form, found.completed, main))
    session.commit()
    return Published(queued=queued)


def _barrio(session: Session, survey: Survey) -> Barrio:
    """The survey's barrio (its time zone is the one exports show dates in)."""
    barrio = session.get(Barrio, survey.barrio_id)
    assert barrio is not None
    return barrio
