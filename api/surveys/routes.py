"""Surveys of the caller's barrios: load (JSON or XLSForm), open, close, copy, results, exports."""

from typing import Annotated

from fastapi import APIRouter, File, Form, HTTPException, Query, Request, UploadFile, status
from fastapi.responses import FileResponse, StreamingResponse
from pydantic import ValidationError
from sqlmodel import select

from api.kernel.deps import CurrentEjecutor, Id, IdForm, IdQuery, SessionDep, owned_barrio
from api.kernel.errors import ERROR_RESPONSES
from api.kernel.exports import csv_response, xlsx_response
from api.outbox.enqueue import enqueue
from api.surveys.export import layout, rows
from api.surveys.models import (
    Kind,
    Published,
    Survey,
    SurveyCopy,
    SurveyCreate,
    SurveyDefinition,
    SurveyPublic,
    SurveyResults,
)
from api.surveys.results import results, tallies
from api.surveys.store import create_survey, move, owned_survey, question_count
from api.surveys.xlsform import XLSFormError, read_xlsform
from conversations.surveys.form import Form as SurveyForm
from conversations.surveys.ports import CLOSED, OPEN
from conversations.surveys.summary import summary_reply

router = APIRouter(prefix="/api/surveys", tags=["surveys"], responses=ERROR_RESPONSES)
MAX_XLSFORM_BYTES = 5_000_000
Labels = Annotated[bool, Query(description="choice labels and question labels instead of codes")]
Language = Annotated[str | None, Query(max_length=8, description="label language; the form's default if omitted")]


def public(survey: Survey) -> SurveyPublic:
    return SurveyPublic(**survey.model_dump(exclude={"salt"}), questions=question_count(survey))


@router.post("", status_code=status.HTTP_201_CREATED, response_model=SurveyPublic)
def add_survey(data: SurveyCreate, session: SessionDep, ejecutor: CurrentEjecutor) -> SurveyPublic:
    """Create a draft survey from a JSON definition."""
    barrio = owned_barrio(session, ejecutor, data.barrio_id)
    definition = data.model_dump(exclude={"barrio_id", "kind"}, exclude_none=True)
    return public(create_survey(session, barrio=barrio, kind=data.kind, definition=definition))


@router.post("/xlsform", status_code=status.HTTP_201_CREATED, response_model=SurveyPublic)
def add_survey_from_xlsform(session: SessionDep, ejecutor: CurrentEjecutor,
                            barrio_id: IdForm, file: Annotated[UploadFile, File()],
                            kind: Annotated[Kind, Form()] = "diagnostico") -> SurveyPublic:
    """Create a draft survey from an XLSForm (.xlsx with survey, choices and settings sheets)."""
    barrio = owned_barrio(session, ejecutor, barrio_id)
    content = file.file.read(MAX_XLSFORM_BYTES + 1)
    if len(content) > MAX_XLSFORM_BYTES:
        raise HTTPException(status.HTTP_413_REQUEST_ENTITY_TOO_LARGE, "the XLSForm is larger than 5 MB")
    try:
        definition = read_xlsform(content)
        SurveyDefinition.model_validate(definition)  # the same limits as a JSON survey
    except XLSFormError as error:
        raise HTTPException(422, str(error)) from error
    except ValidationError as error:
        problem = error.errors()[0]
        where = ".".join(str(part) for part in problem["loc"])
        raise HTTPException(422, f"survey sheet: {where}: {problem['msg']}") from error
    return public(create_survey(session, barrio=barrio, kind=kind, definition=definition))


@router.get("", response_model=list[SurveyPublic])
def list_surveys(session: SessionDep, ejecutor: CurrentEjecutor, barrio_id: IdQuery) -> list[SurveyPublic]:
    """The surveys of one of the caller's barrios."""
    owned_barrio(session, ejecutor, barrio_id)
    surveys = session.exec(select(Survey).where(Survey.barrio_id == barrio_id).order_by(Survey.id)).all()  # type: ignore[arg-type]
    return [public(s) for s in surveys]


@router.get("/{survey_id}", response_model=SurveyPublic)
def get_survey(survey_id: Id, session: SessionDep, ejecutor: CurrentEjecutor) -> SurveyPublic:
    return public(owned_survey(session, ejecutor, survey_id)[0])


@router.post("/{survey_id}/open", response_model=SurveyPublic)
def open_survey(survey_id: Id, session: SessionDep, ejecutor: CurrentEjecutor) -> SurveyPublic:
    """draft -> open: vecinos of the barrio can answer it in the chat."""
    return public(move(session, owned_survey(session, ejecutor, survey_id)[0], OPEN))


@router.post("/{survey_id}/close", response_model=SurveyPublic)
def close_survey(survey_id: Id, session: SessionDep, ejecutor: CurrentEjecutor) -> SurveyPublic:
    """open -> closed: no more answers or changes."""
    return public(move(session, owned_survey(session, ejecutor, survey_id)[0], CLOSED))


@router.post("/{survey_id}/copy", status_code=status.HTTP_201_CREATED, response_model=SurveyPublic)
def copy_survey(survey_id: Id, data: SurveyCopy, session: SessionDep, ejecutor: CurrentEjecutor) -> SurveyPublic:
    """The same definition as a new draft in another of the caller's barrios."""
    survey, _ = owned_survey(session, ejecutor, survey_id)
    barrio = owned_barrio(session, ejecutor, data.barrio_id)
    return public(create_survey(session, barrio=barrio, kind=survey.kind, definition=dict(survey.definition)))


@router.get("/{survey_id}/results", response_model=SurveyResults)
def survey_results(survey_id: Id, session: SessionDep, ejecutor: CurrentEjecutor, request: Request,
                   lang: Language = None) -> SurveyResults:
    """Responses started and completed; per question counts and shares, mean and median, sample texts."""
    survey, _ = owned_survey(session, ejecutor, survey_id)
    return results(request.app.state.engine, survey, lang)


@router.get("/{survey_id}/responses.csv", response_class=StreamingResponse)
def responses_csv(survey_id: Id, session: SessionDep, ejecutor: CurrentEjecutor, request: Request,
                  labels: Labels = False, lang: Language = None) -> StreamingResponse:
    """One row per response, one column per question (0/1 columns per choice of a multiple choice)."""
    survey, barrio = owned_survey(session, ejecutor, survey_id)
    shape = layout(survey, barrio.timezone, labels, lang)
    return csv_response(f"survey-{survey_id}.csv", shape.header, rows(request.app.state.engine, survey, shape))


@router.get("/{survey_id}/responses.xlsx", response_class=FileResponse)
def responses_xlsx(survey_id: Id, session: SessionDep, ejecutor: CurrentEjecutor, request: Request,
                   labels: Labels = False, lang: Language = None) -> FileResponse:
    """The same table as the CSV, as an Excel workbook."""
    survey, barrio = owned_survey(session, ejecutor, survey_id)
    shape = layout(survey, barrio.timezone, labels, lang)
    return xlsx_response(f"survey-{survey_id}.xlsx", "respuestas", shape.header,
                         rows(request.app.state.engine, survey, shape))


@router.post("/{survey_id}/publish", response_model=Published)
def publish(survey_id: Id, session: SessionDep, ejecutor: CurrentEjecutor, request: Request) -> Published:
    """Queue a short summary of a closed survey's results to every participant, in their language."""
    survey, barrio = owned_survey(session, ejecutor, survey_id)
    if survey.status != CLOSED:
        raise HTTPException(status.HTTP_409_CONFLICT, f"survey {survey_id} is {survey.status}; close it first")
    found = results(request.app.state.engine, survey)
    form, main = SurveyForm.load(survey.definition), tallies(found)
    queued = enqueue(session, barrio=barrio, kind="survey_results", ref_id=survey_id,
                     render=lambda t, _member: summary_reply(t, form, found.completed, main))
    session.commit()
    return Published(queued=queued)
