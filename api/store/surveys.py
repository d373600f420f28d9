"""Surveys in SQL: the chat's port (answers stored one row each, upserted) and ejecutor CRUD."""

import secrets
from typing import Any

from fastapi import HTTPException, status
from sqlalchemy import delete, func, select
from sqlmodel import Session

from api.models import Barrio, Ejecutor, Survey, SurveyAnswer, SurveyResponse
from api.models.types import utcnow
from api.store.directory import RECORD_COUNTERS
from conversations.survey_form import Form, FormError
from conversations.survey_ports import CLOSED, DRAFT, OPEN, SurveyView


def count_answers(session: Session, member_id: str) -> int:
    return session.execute(
        select(func.count()).select_from(SurveyAnswer).where(
            SurveyAnswer.member_id == member_id, SurveyAnswer.value.is_not(None))  # type: ignore[union-attr,arg-type]
    ).scalar_one()


RECORD_COUNTERS["answers"] = count_answers


# Parsed forms by (id, salt): a survey's definition never changes once created, and the
# random salt tells apart two surveys that got the same id (e.g. after a restore).
_FORMS: dict[tuple[int, str], Form] = {}


def view(survey: Survey) -> SurveyView:
    assert survey.id is not None
    key = (survey.id, survey.salt)
    form = _FORMS.get(key)
    if form is None:
        if len(_FORMS) > 512:
            _FORMS.clear()
        form = _FORMS[key] = Form.load(survey.definition)
    return SurveyView(id=survey.id, barrio_id=survey.barrio_id, status=survey.status, form=form)


class SqlSurveys:
    """The `Surveys` port, bound to the chat's session (answers commit with the state)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._answers: dict[tuple[int, str], dict[str, Any]] = {}  # read once per chat event

    def open_for(self, barrio_id: int) -> list[SurveyView]:
        surveys = self.session.execute(
            select(Survey).where(Survey.barrio_id == barrio_id, Survey.status == OPEN).order_by(Survey.id)  # type: ignore[arg-type]
        ).scalars()
        return [view(s) for s in surveys]

    def get(self, survey_id: int) -> SurveyView | None:
        survey = self.session.get(Survey, survey_id)
        return view(survey) if survey is not None else None

    def answers(self, survey_id: int, member_id: str) -> dict[str, Any]:
        cached = self._answers.get((survey_id, member_id))
        if cached is not None:
            return dict(cached)
        rows = self.session.execute(
            select(SurveyAnswer.question, SurveyAnswer.value)
            .join(SurveyResponse, SurveyResponse.id == SurveyAnswer.response_id)  # type: ignore[arg-type]
            .where(SurveyResponse.survey_id == survey_id, SurveyResponse.member_id == member_id)  # type: ignore[arg-type]
        ).all()
        self._answers[(survey_id, member_id)] = {question: value for question, value in rows}
        return dict(self._answers[(survey_id, member_id)])

    def completed(self, survey_id: int, member_id: str) -> bool:
        response = self._response(survey_id, member_id)
        return response is not None and response.completed_at is not None

    def save(self, survey_id: int, member_id: str, question: str, value: Any) -> None:
        response = self._response(survey_id, member_id)
        if response is None:
            response = SurveyResponse(survey_id=survey_id, member_id=member_id)
            self.session.add(response)
            self.session.flush()  # a concurrent first answer fails here; the chat retries
        response.updated_at = utcnow()
        self.session.add(response)
        answer = self.session.get(SurveyAnswer, (response.id, question))
        if answer is None:
            answer = SurveyAnswer(response_id=response.id, question=question, member_id=member_id)  # type: ignore[arg-type]
        answer.value, answer.answered_at = value, utcnow()
        self.session.add(answer)
        self.session.flush()
        self._answers.pop((survey_id, member_id), None)

    def forget(self, survey_id: int, member_id: str, questions: list[str]) -> None:
        response = self._response(survey_id, member_id)
        if response is not None:
            self.session.execute(delete(SurveyAnswer).where(
                SurveyAnswer.response_id == response.id, SurveyAnswer.question.in_(questions)))  # type: ignore[arg-type,attr-defined]
            self._answers.pop((survey_id, member_id), None)

    def set_completed(self, survey_id: int, member_id: str, completed: bool) -> None:
        response = self._response(survey_id, member_id)
        if response is None:
            return
        if completed and response.completed_at is None:
            response.completed_at = utcnow()
        elif not completed:
            response.completed_at = None
        self.session.add(response)

    def _response(self, survey_id: int, member_id: str) -> SurveyResponse | None:
        return self.session.execute(
            select(SurveyResponse).where(SurveyResponse.survey_id == survey_id,  # type: ignore[arg-type]
                                         SurveyResponse.member_id == member_id)  # type: ignore[arg-type]
        ).scalar_one_or_none()


# --- ejecutor side ---------------------------------------------------------------------

def checked_definition(definition: dict[str, Any]) -> Form:
    """The form, or a 422 naming the question and what is wrong."""
    try:
        return Form.load(definition)
    except FormError as error:
        raise HTTPException(422, str(error)) from error


def create_survey(session: Session, *, barrio: Barrio, kind: str, definition: dict[str, Any]) -> Survey:
    form = checked_definition(definition)
    survey = Survey(barrio_id=barrio.id, kind=kind, definition=definition,  # type: ignore[arg-type]
                    title=form.text(form.title, form.default_language)[:200], salt=secrets.token_hex(8))
    session.add(survey)
    session.commit()
    session.refresh(survey)
    return survey


def owned_survey(session: Session, ejecutor: Ejecutor, survey_id: int) -> tuple[Survey, Barrio]:
    """The survey and its barrio if the barrio is the ejecutor's; 404 otherwise."""
    survey = session.get(Survey, survey_id)
    barrio = session.get(Barrio, survey.barrio_id) if survey is not None else None
    if survey is None or barrio is None or barrio.ejecutor_id != ejecutor.id:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"survey {survey_id} not found")
    return survey, barrio


TRANSITIONS = {OPEN: (DRAFT,), CLOSED: (OPEN,)}


def move(session: Session, survey: Survey, to: str) -> Survey:
    """draft -> open -> closed; anything else is a 409 that says where the survey is."""
    if survey.status == to:
        return survey  # repeating a request is harmless
    if survey.status not in TRANSITIONS[to]:
        needed = TRANSITIONS[to][0]
        raise HTTPException(status.HTTP_409_CONFLICT,
                            f"survey {survey.id} is {survey.status}; only a {needed} survey can become {to}")
    survey.status = to
    if to == OPEN:
        survey.opened_at = utcnow()
    else:
        survey.closed_at = utcnow()
    session.add(survey)
    session.commit()
    session.refresh(survey)
    return survey


def question_count(survey: Survey) -> int:
    return sum(1 for q in survey.definition.get("questions", []) if q.get("type") != "note")
