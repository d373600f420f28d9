"""Surveys in SQL: the chat's port (answers stored one row each, upserted) and ejecutor CRUD."""

import json
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Integer,
    Row,
    and_,
    bindparam,
    case,
    delete,
    func,
    null,
    select,
    type_coerce,
    update,
)
from sqlmodel import Session

from api.barrios.models import Barrio
from api.kernel.errors import Conflict, Invalid
from api.kernel.types import utcnow
from api.kernel.upsert import dialect_of, per_dialect
from api.surveys.kept_answers import KeptAnswers
from api.surveys.models import Survey, SurveyAnswer, SurveyPhoto, SurveyResponse, new_revision
from conversations.surveys.answers import Answers
from conversations.surveys.form import Form
from conversations.surveys.ports import SurveyStatus, SurveyView
from conversations.surveys.questions import UNASKED
from conversations.surveys.reading import FormError


def count_answers(session: Session, member_id: str) -> int:
    return session.execute(
        select(func.count()).select_from(SurveyAnswer).where(
            SurveyAnswer.member_id == member_id, SurveyAnswer.value.is_not(None))  # type: ignore[union-attr,arg-type]
    ).scalar_one()



# Parsed forms by (id, salt): a survey's definition never changes once created, and the
# random salt tells apart two surveys that got the same id (e.g. after a restore). Bounded by
# size, not count: one large XLSForm weighs as much as hundreds of small ones. A parsed form
# takes a few times its JSON's size in memory; the budget counts the JSON.
FORM_CACHE_BYTES = 16_000_000


class FormCache:
    """Least recently used forms first out, once their definitions together pass `budget` bytes."""

    def __init__(self, budget: int = FORM_CACHE_BYTES) -> None:
        self.budget = budget
        self.used = 0
        self._forms: OrderedDict[tuple[int, str, str | None], tuple[Form, int]] = OrderedDict()
        self._lock = threading.Lock()  # the chat (event loop) and the API (threadpool) share it

    def get(self, survey_id: int, salt: str, definition: Callable[[], dict[str, Any]],
            timezone: str | None = None) -> Form:
        """The parsed form in the barrio's time zone, reading the definition (`definition()`) only when it
        is not cached."""
        key = (survey_id, salt, timezone)
        with self._lock:
            cached = self._forms.get(key)
            if cached is not None:
                self._forms.move_to_end(key)
                return cached[0]
        raw = definition()
        form = Form.load(raw, timezone)
        size = len(json.dumps(raw, default=str))
        if size > self.budget:
            return form  # larger than the whole cache: parsed for this use only
        with self._lock:
            if key not in self._forms:
                self._forms[key] = (form, size)
                self.used += size
            while self.used > self.budget:
                _, (_, evicted) = self._forms.popitem(last=False)
                self.used -= evicted
        return form

    def __len__(self) -> int:
        return len(self._forms)


_FORMS = FormCache()


def _form(survey_id: int, salt: str, definition: Callable[[], dict[str, Any]], timezone: str | None = None) -> Form:
    return _FORMS.get(survey_id, salt, definition, timezone)


def view(survey: Survey, timezone: str | None = None) -> SurveyView:
    """The survey as the chat sees it; `timezone` (the barrio's) is the one today() and now() read."""
    assert survey.id is not None
    form = _form(survey.id, survey.salt, lambda: survey.definition, timezone)
    return SurveyView(id=survey.id, barrio_id=survey.barrio_id, status=survey.status, form=form)


# The chat's statements, built once (see api/chat/rows.py). A survey is read without its
# definition, which is fetched only when the parsed form is not cached yet; with its barrio's
# time zone, in which today() and now() are read.
_SURVEY_COLUMNS = (select(Survey.id, Survey.barrio_id, Survey.status, Survey.salt, Barrio.timezone)
                   .join(Barrio, Barrio.id == Survey.barrio_id))  # type: ignore[arg-type]
_SURVEY = _SURVEY_COLUMNS.where(Survey.id == bindparam("survey_id"))  # type: ignore[arg-type]
_OPEN_SURVEYS = (
    _SURVEY_COLUMNS.where(Survey.barrio_id == bindparam("barrio_id"), Survey.status == SurveyStatus.OPEN)  # type: ignore[arg-type]
    .order_by(Survey.id)  # type: ignore[arg-type]
)
_PUBLISHED_SURVEYS = (
    _SURVEY_COLUMNS.where(Survey.barrio_id == bindparam("barrio_id"), Survey.status == SurveyStatus.CLOSED,  # type: ignore[arg-type]
                          Survey.published_at.is_not(None))  # type: ignore[union-attr]
    .order_by(Survey.published_at.desc())  # type: ignore[union-attr]
)
_SUMMARY = select(Survey.summary).where(Survey.id == bindparam("survey_id"))  # type: ignore[arg-type]
# The member's answers as one JSON object, built by the database: a long form's hundreds of
# answers come back as one value decoded once, not as a row each.
_ANSWERS_OBJECT = {
    "sqlite": func.json_group_object(SurveyAnswer.question, func.json(SurveyAnswer.value)),
    "postgresql": func.json_object_agg(SurveyAnswer.question, SurveyAnswer.value),
}


def _answers_of_response(dialect: str) -> Any:
    """The answers of the response in the same row, as {question: value} (NULL when there is none), unless
    the response is the one given at the revision given (`known_response`, `known_revision`): then NULL,
    and the answers are those this process kept (api/surveys/kept_answers.py), not read at all."""
    answers = (select(_ANSWERS_OBJECT[dialect]).where(SurveyAnswer.response_id == SurveyResponse.id)  # type: ignore[arg-type]
               .scalar_subquery())
    known = and_(SurveyResponse.id == bindparam("known_response", type_=Integer),  # type: ignore[arg-type]
                 SurveyResponse.revision == bindparam("known_revision", type_=BigInteger))  # type: ignore[arg-type]
    return type_coerce(case((known, null()), else_=answers), JSON).label("answers")


# The survey with, in the same read, the member's response and answers (the flows ask for
# them right after): one row, NULLs where there is no response.
_SURVEY_AND_ANSWERS = {dialect: (
    select(Survey.id, Survey.barrio_id, Survey.status, Survey.salt, Barrio.timezone,
           SurveyResponse.id.label("response_id"),  # type: ignore[union-attr]
           SurveyResponse.completed_at, SurveyResponse.sensitive_consent, SurveyResponse.revision,
           _answers_of_response(dialect))
    .select_from(Survey)
    .join(Barrio, Barrio.id == Survey.barrio_id)  # type: ignore[arg-type]
    .outerjoin(SurveyResponse, and_(SurveyResponse.survey_id == Survey.id,  # type: ignore[arg-type]
                                    SurveyResponse.member_id == bindparam("member_id")))
    .where(Survey.id == bindparam("survey_id"))  # type: ignore[arg-type]
) for dialect in _ANSWERS_OBJECT}
_DEFINITION = select(Survey.definition).where(Survey.id == bindparam("survey_id"))  # type: ignore[arg-type]
# The response and its answers in one read: one row, or none before the first answer.
_RESPONSE_WITH_ANSWERS = {dialect: (
    select(SurveyResponse.id.label("response_id"), SurveyResponse.completed_at,  # type: ignore[union-attr]
           SurveyResponse.sensitive_consent, SurveyResponse.revision, _answers_of_response(dialect))
    .where(SurveyResponse.survey_id == bindparam("survey_id"),  # type: ignore[arg-type]
           SurveyResponse.member_id == bindparam("member_id"))  # type: ignore[arg-type]
) for dialect in _ANSWERS_OBJECT}


def _start_response(insert: Any) -> Any:
    """Create the response; a concurrent first answer ends in the same row (the no-op
    update makes RETURNING give that row's id)."""
    statement = insert(SurveyResponse).values(
        survey_id=bindparam("survey_id"), member_id=bindparam("member_id"), started_at=bindparam("at"),
        revision=bindparam("new_revision"),
    )
    return statement.on_conflict_do_update(
        index_elements=[SurveyResponse.survey_id, SurveyResponse.member_id],
        set_={"started_at": SurveyResponse.started_at},
    ).returning(SurveyResponse.id, SurveyResponse.completed_at, SurveyResponse.sensitive_consent,
                SurveyResponse.revision)


def _store_answer(insert: Any) -> Any:
    statement = insert(SurveyAnswer).values(
        response_id=bindparam("response_id"), question=bindparam("question"), survey_id=bindparam("survey_id"),
        member_id=bindparam("member_id"), value=bindparam("value"), answered_at=bindparam("at"),
    )
    return statement.on_conflict_do_update(
        index_elements=[SurveyAnswer.response_id, SurveyAnswer.question],
        set_={"value": statement.excluded.value, "answered_at": statement.excluded.answered_at},
    )


def _keep_photo(insert: Any) -> Any:
    """A photo answered: due for copying now; a different photo sent again for the same answer replaces the
    copy (the same one, forwarded again, keeps it)."""
    statement = insert(SurveyPhoto).values(
        survey_id=bindparam("survey_id"), response_id=bindparam("response_id"), question=bindparam("question"),
        member_id=bindparam("member_id"), reference=bindparam("reference"), attempts=0,
        created_at=bindparam("at"), next_attempt_at=bindparam("at"),
    )
    return statement.on_conflict_do_update(
        index_elements=[SurveyPhoto.response_id, SurveyPhoto.question],
        set_={"reference": statement.excluded.reference, "content": None, "content_type": None, "size": None,
              "attempts": 0, "created_at": statement.excluded.created_at,
              "next_attempt_at": statement.excluded.next_attempt_at, "fetched_at": None},
        where=SurveyPhoto.reference != statement.excluded.reference,
    )


_START_RESPONSE = per_dialect(_start_response)
_KEEP_PHOTO = per_dialect(_keep_photo)
_DROP_PHOTO = delete(SurveyPhoto).where(
    SurveyPhoto.response_id == bindparam("response_id"),  # type: ignore[arg-type]
    SurveyPhoto.question == bindparam("question"),  # type: ignore[arg-type]
)
_STORE_ANSWER = per_dialect(_store_answer)
_FORGET = delete(SurveyAnswer).where(
    SurveyAnswer.response_id == bindparam("response_id"),  # type: ignore[arg-type]
    SurveyAnswer.question.in_(bindparam("questions", expanding=True)),  # type: ignore[attr-defined]
)
_SET_COMPLETED = (
    update(SurveyResponse).where(SurveyResponse.id == bindparam("response_id"))  # type: ignore[arg-type]
    .values(completed_at=bindparam("completed_at"))
)
# A change to a response's answers gives it a new revision, in the same transaction: only if it still has
# the one this event read (else someone changed the answers since, and what this event holds is not kept).
_NEW_REVISION = (
    update(SurveyResponse).where(SurveyResponse.id == bindparam("response_id"))  # type: ignore[arg-type]
    .values(revision=bindparam("new_revision"))
)
_NEW_REVISION_IF_SEEN = _NEW_REVISION.where(SurveyResponse.revision == bindparam("seen"))  # type: ignore[arg-type]
_SET_CONSENT = (
    update(SurveyResponse).where(SurveyResponse.id == bindparam("response_id"))  # type: ignore[arg-type]
    .values(sensitive_consent=bindparam("consent"))
)
Response = tuple[int, datetime | None, bool | None]  # id, completed_at, sensitive_consent
# The last answers read or written of each response, by (survey, member), under the response's revision:
# an update reads the response's row, not its answers, when they are still those.
KEPT = KeptAnswers()


class SqlSurveys:
    """The `Surveys` port, bound to the chat's session (answers commit with the state).

    One instance serves one chat event, so it keeps what it read or wrote of the vecino's
    response (its id, when it was completed, the answers) instead of reading it again.
    """

    def __init__(self, session: Session, member_id: str | None = None, kept: KeptAnswers = KEPT) -> None:
        self.session = session
        self.kept = kept  # the process's (a test gives each of its "processes" one)
        self.member_id = member_id  # who is talking, if known: a survey is read with their answers
        # (response id, completed_at, consent) or None when there is no response yet; read once per event
        self._responses: dict[tuple[int, str], Response | None] = {}
        self._answers: dict[tuple[int, str], Answers] = {}  # each save or forget makes a new version
        self._seen: dict[tuple[int, str], int] = {}  # the response's revision as read (or created) in this event
        # the revision this event gave the response at its first change of the answers; None when they had
        # changed since they were read (so what this event holds of them is not kept for the next)
        self._written: dict[tuple[int, str], int | None] = {}

    def open_for(self, barrio_id: int) -> list[SurveyView]:
        rows = self.session.connection().execute(_OPEN_SURVEYS, {"barrio_id": barrio_id}).all()
        return [self._view(row) for row in rows]

    def published_for(self, barrio_id: int) -> list[SurveyView]:
        rows = self.session.connection().execute(_PUBLISHED_SURVEYS, {"barrio_id": barrio_id}).all()
        return [self._view(row) for row in rows]

    def summary(self, survey_id: int) -> dict[str, str] | None:
        return self.session.connection().execute(_SUMMARY, {"survey_id": survey_id}).scalar_one_or_none()

    def get(self, survey_id: int) -> SurveyView | None:
        key = (survey_id, self.member_id or "")
        if self.member_id is None or key in self._answers:
            row = self.session.connection().execute(_SURVEY, {"survey_id": survey_id}).first()
            return self._view(row) if row is not None else None
        kept = self.kept.kept(key)
        row = self.session.connection().execute(_SURVEY_AND_ANSWERS[dialect_of(self.session)], {
            "survey_id": survey_id, "member_id": self.member_id, **_known(kept)}).first()
        if row is None:
            return None
        self._remember(key, row, kept)
        return self._view(row)

    def answers(self, survey_id: int, member_id: str) -> Answers:
        answers = self._answers.get((survey_id, member_id))
        if answers is None:
            self._load(survey_id, member_id)
            answers = self._answers[(survey_id, member_id)]
        return answers

    def completed(self, survey_id: int, member_id: str) -> bool:
        response = self._response(survey_id, member_id)
        return response is not None and response[1] is not None

    def consent(self, survey_id: int, member_id: str) -> bool | None:
        response = self._response(survey_id, member_id)
        return None if response is None else response[2]

    def set_consent(self, survey_id: int, member_id: str, consent: bool) -> None:
        response_id, completed_at, _ = self._started(survey_id, member_id)
        self.session.connection().execute(_SET_CONSENT, {"response_id": response_id, "consent": consent})
        self._responses[(survey_id, member_id)] = (response_id, completed_at, consent)

    def _started(self, survey_id: int, member_id: str) -> Response:
        """The member's response, created now if this is its first answer or choice."""
        key = (survey_id, member_id)
        response = self._responses.get(key)  # known when this event read the answers first
        if response is None:
            revision = new_revision()
            *started, written = self.session.connection().execute(
                _START_RESPONSE[dialect_of(self.session)],
                {"survey_id": survey_id, "member_id": member_id, "at": utcnow(), "new_revision": revision}).one()
            response = tuple(started)  # type: ignore[assignment]
            if written == revision:  # created now, with no answers but this event's
                self._seen[key] = revision
                self._written[key] = revision
        return response  # type: ignore[return-value]

    def _changing(self, key: tuple[int, str], response_id: int) -> None:
        """Before this event's first change to the response's answers: a new revision for them."""
        if key in self._written:
            return
        revision, seen = new_revision(), self._seen.get(key)
        connection = self.session.connection()
        if seen is not None and connection.execute(_NEW_REVISION_IF_SEEN, {
                "response_id": response_id, "new_revision": revision, "seen": seen}).rowcount == 1:
            self._written[key] = revision
            return
        connection.execute(_NEW_REVISION, {"response_id": response_id, "new_revision": revision})
        self._written[key] = None

    def _changed(self, key: tuple[int, str], response_id: int) -> None:
        """After a change to the answers: the new version kept under the new revision, when this event knows it."""
        revision, answers = self._written.get(key), self._answers.get(key)
        if revision is None or answers is None:
            self.kept.drop(key)
        else:
            self.kept.put(key, response_id, revision, answers)

    def save(self, survey_id: int, member_id: str, question: str, value: Any) -> None:
        key = (survey_id, member_id)
        response = self._started(survey_id, member_id)
        self._changing(key, response[0])
        self.session.connection().execute(_STORE_ANSWER[dialect_of(self.session)], {
            "response_id": response[0], "question": question, "survey_id": survey_id, "member_id": member_id,
            "value": value, "at": utcnow()})
        self._responses[key] = response
        if key in self._answers:
            self._answers[key] = self._answers[key].but({question: value})
        self._changed(key, response[0])

    def keep_photo(self, survey_id: int, member_id: str, question: str, reference: str | None) -> None:
        response_id = self._started(survey_id, member_id)[0]
        if reference is None:
            self.session.connection().execute(_DROP_PHOTO, {"response_id": response_id, "question": question})
            return
        self.session.connection().execute(_KEEP_PHOTO[dialect_of(self.session)], {
            "survey_id": survey_id, "response_id": response_id, "question": question, "member_id": member_id,
            "reference": reference, "at": utcnow()})

    def forget(self, survey_id: int, member_id: str, questions: list[str]) -> None:
        response = self._response(survey_id, member_id)
        if response is None:
            return
        key = (survey_id, member_id)
        self._changing(key, response[0])
        self.session.connection().execute(_FORGET, {"response_id": response[0], "questions": questions})
        answers = self._answers.get(key)
        if answers is not None:
            self._answers[key] = answers.but(dropped=questions)
        self._changed(key, response[0])

    def set_completed(self, survey_id: int, member_id: str, completed: bool) -> None:
        response = self._response(survey_id, member_id)
        if response is None:
            return
        response_id, completed_at, consent = response
        if completed == (completed_at is not None):
            return
        completed_at = utcnow() if completed else None
        self.session.connection().execute(_SET_COMPLETED, {"response_id": response_id,
                                                           "completed_at": completed_at})
        self._responses[(survey_id, member_id)] = (response_id, completed_at, consent)

    def _view(self, row: Row[Any]) -> SurveyView:
        def definition() -> dict[str, Any]:
            return self.session.connection().execute(_DEFINITION, {"survey_id": row.id}).scalar_one()

        return SurveyView(id=row.id, barrio_id=row.barrio_id, status=row.status,
                          form=_form(row.id, row.salt, definition, row.timezone))

    def _response(self, survey_id: int, member_id: str) -> Response | None:
        key = (survey_id, member_id)
        if key not in self._responses:
            self._load(survey_id, member_id)
        return self._responses[key]

    def _load(self, survey_id: int, member_id: str) -> None:
        """Read the member's response and its answers into the per-event caches."""
        key = (survey_id, member_id)
        kept = self.kept.kept(key)
        row = self.session.connection().execute(_RESPONSE_WITH_ANSWERS[dialect_of(self.session)], {
            "survey_id": survey_id, "member_id": member_id, **_known(kept)}).first()
        self._remember(key, row, kept)

    def _remember(self, key: tuple[int, str], row: Row[Any] | None, kept: tuple[int, int, Answers] | None) -> None:
        """Keep a response read as a row of (response_id, completed_at, sensitive_consent, revision, answers),
        whose answers are NULL when they are the `kept` ones (same response, same revision)."""
        if row is None or row.response_id is None:
            self._responses[key] = None
            self._answers[key] = Answers()
            self.kept.drop(key)  # deleted (/borrar, a test's cleanup): nothing of it stays in memory
            return
        self._responses[key] = (row.response_id, row.completed_at, row.sensitive_consent)
        self._seen[key] = row.revision
        if kept is not None and (kept[0], kept[1]) == (row.response_id, row.revision):
            self._answers[key] = kept[2]
            return
        self._answers[key] = answers = Answers(row.answers)
        self.kept.put(key, row.response_id, row.revision, answers)


def _known(kept: tuple[int, int, Answers] | None) -> dict[str, int]:
    """The parameters that spare reading the answers kept in memory, when they are still the response's."""
    return {"known_response": kept[0], "known_revision": kept[1]} if kept is not None else {
        "known_response": -1, "known_revision": -1}


# --- ejecutor side ---------------------------------------------------------------------

def checked_definition(definition: dict[str, Any]) -> Form:
    """The form, or Invalid naming the question and what is wrong."""
    try:
        return Form.load(definition)
    except FormError as error:
        raise Invalid(str(error)) from error


def create_survey(session: Session, *, barrio: Barrio, kind: str, definition: dict[str, Any]) -> Survey:
    form = checked_definition(definition)
    survey = Survey(barrio_id=barrio.id, kind=kind, definition=definition,  # type: ignore[arg-type]
                    title=form.text(form.title, form.default_language)[:200], salt=secrets.token_hex(8))
    session.add(survey)
    session.commit()
    session.refresh(survey)
    return survey


TRANSITIONS: dict[str, tuple[str, ...]] = {
    SurveyStatus.OPEN: (SurveyStatus.DRAFT,),
    SurveyStatus.CLOSED: (SurveyStatus.OPEN,),
}


def move(session: Session, survey: Survey, to: str) -> Survey:
    """draft -> open -> closed; anything else is a 409 that says where the survey is."""
    if survey.status == to:
        return survey  # repeating a request is harmless
    if survey.status not in TRANSITIONS[to]:
        needed = TRANSITIONS[to][0]
        raise Conflict(f"survey {survey.id} is {survey.status}; only a {needed} survey can become {to}")
    survey.status = to
    if to == SurveyStatus.OPEN:
        survey.opened_at = utcnow()
    else:
        survey.closed_at = utcnow()
    session.add(survey)
    session.commit()
    session.refresh(survey)
    return survey


class Undeletable(Conflict):
    """Why a survey cannot be deleted: `opened` (it is not a draft) or `answered`."""

    def __init__(self, detail: str, reason: str) -> None:
        super().__init__(detail)
        self.reason = reason


def delete_draft(session: Session, survey: Survey) -> None:
    """Delete a draft nobody has answered; anything else is a 409 that says why."""
    if survey.status != SurveyStatus.DRAFT:
        raise Undeletable(f"survey {survey.id} is {survey.status}; only a draft can be deleted", "opened")
    answered = session.execute(select(func.count()).select_from(SurveyResponse).where(
        SurveyResponse.survey_id == survey.id)).scalar_one()  # type: ignore[arg-type]
    if answered:
        raise Undeletable(f"survey {survey.id} has {answered} responses; a survey with answers cannot be deleted",
                          "answered")
    session.delete(survey)
    session.commit()


def question_count(survey: Survey) -> int:
    """Questions a vecino answers (inside groups and once for a repeat's; not notes, calculations or metadata)."""
    def count(items: list[dict[str, Any]]) -> int:
        return sum(count(q.get("questions") or []) if q.get("type") in ("group", "repeat")
                   else q.get("type") not in ("note", *UNASKED) for q in items)

    return count(survey.definition.get("questions", []))
