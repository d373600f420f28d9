"""Surveys of a barrio, the vecinos' responses and their answers (one row per question).

Answers are stored one per row the moment they are given, keyed by (response, question),
so a vecino who stops halfway loses nothing; inside a repeat the key is `question#instance`
("edad#2"), and a repeat's "add another?" is stored at `repeat#instance`. Responses and answers reference the member
with ON DELETE CASCADE: /borrar removes them.
"""

import json
import secrets
from datetime import datetime
from typing import Annotated, Any

from pydantic import StringConstraints, model_validator
from sqlalchemy import JSON, BigInteger, Column, ForeignKeyConstraint, Index, LargeBinary, UniqueConstraint, cast
from sqlalchemy import Text as SqlText
from sqlmodel import Field, SQLModel

from api.barrios.models import BarrioRow
from api.kernel.errors import FieldError
from api.kernel.types import UTCDateTime, utcnow
from conversations.surveys.ports import SurveyStatus
from conversations.surveys.questions import QuestionType, SurveyKind

# Bounds of a survey definition: a label is read on a phone (Telegram allows 4,096 characters a
# message), an expression is evaluated on every answer, and the whole definition is parsed and
# cached per process (api/surveys/store.py).
MAX_LABEL = 2000
MAX_LANGUAGES = 12
MAX_EXPRESSION = 1000
MAX_CHOICES = 500
MAX_DEFINITION_BYTES = 500_000

Text = Annotated[str, StringConstraints(max_length=MAX_LABEL)]
Language = Annotated[str, StringConstraints(min_length=1, max_length=8)]
Labels = Text | Annotated[dict[Language, Text], Field(max_length=MAX_LANGUAGES)]
Expression = Annotated[str, StringConstraints(max_length=MAX_EXPRESSION)]


class Survey(BarrioRow, table=True):
    kind: str = Field(max_length=16)
    status: str = Field(default=SurveyStatus.DRAFT, max_length=8)
    title: str = Field(max_length=200)  # in the default language, for listings
    definition: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    salt: str = Field(max_length=32)  # makes respondent ids in exports unlinkable across surveys
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))
    opened_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    closed_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    # the results summary staff previewed and published to the barrio's vecinos, one text per
    # language (aggregates only); vecinos read it in the chat once the survey is closed
    published_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    summary: dict[str, str] | None = Field(default=None, sa_column=Column(JSON))


def new_revision() -> int:
    """A fresh, random revision of a response's answers (never 0, the value of rows older than revisions)."""
    return secrets.randbits(62) + 1


class SurveyResponse(SQLModel, table=True):
    """A vecino's answering of a survey. `revision` changes with every change to its answers (a random
    value, new at each change: api/surveys/store.py keeps a process's last read of the answers under it,
    so a value never repeats, not even after a rollback or once the row is deleted and its id reused)."""

    __tablename__ = "survey_response"
    __table_args__ = (UniqueConstraint("survey_id", "member_id", name="uq_response_once_per_member"),)

    id: int | None = Field(default=None, primary_key=True)
    survey_id: int = Field(foreign_key="survey.id", index=True, ondelete="CASCADE")
    member_id: str = Field(max_length=16, foreign_key="member.id", index=True, ondelete="CASCADE")
    started_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))
    completed_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    # express consent to the survey's sensitive questions (Ley 21.719): None until asked, False
    # when declined (those questions are skipped, and no answer row stands for them)
    sensitive_consent: bool | None = None
    revision: int = Field(default_factory=new_revision,
                          sa_column=Column(BigInteger, nullable=False, server_default="0"))


class SurveyAnswer(SQLModel, table=True):
    """One answer. `survey_id` repeats its response's survey (every writer sets it), so the results
    count a survey's answers from one index, grouped without sorting (api/surveys/results.py)."""

    __tablename__ = "survey_answer"

    response_id: int = Field(foreign_key="survey_response.id", primary_key=True, ondelete="CASCADE")
    question: str = Field(primary_key=True, max_length=64)
    survey_id: int = Field(foreign_key="survey.id", ondelete="CASCADE")
    member_id: str = Field(max_length=16, foreign_key="member.id", index=True, ondelete="CASCADE")
    value: Any = Field(default=None, sa_column=Column(JSON(none_as_null=True), nullable=True))  # NULL: skipped
    answered_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))


class SurveyPhoto(SQLModel, table=True):
    """A photo a vecino sent as an answer: the channel's reference, then (once the photo job copied
    them, api/surveys/photo_copies.py) its bytes, so the ejecutor's download no longer depends on
    Telegram keeping the file. It goes with its answer (skipped, forgotten) and with the member.

    Pending while `next_attempt_at` is set (the job's next try, or the end of a claim); copied once
    `fetched_at` is set; given up (the channel no longer had it, or it weighed too much) when neither is.
    """

    __tablename__ = "survey_photo"
    __table_args__ = (
        ForeignKeyConstraint(["response_id", "question"], ["survey_answer.response_id", "survey_answer.question"],
                             ondelete="CASCADE", name="fk_survey_photo_answer"),
        UniqueConstraint("response_id", "question", name="uq_survey_photo_answer"),
    )

    id: int | None = Field(default=None, primary_key=True)
    survey_id: int = Field(foreign_key="survey.id", index=True, ondelete="CASCADE")
    response_id: int
    question: str = Field(max_length=64)  # the answer's key ("foto", or "foto#2" inside a repeat)
    member_id: str = Field(max_length=16, foreign_key="member.id", index=True, ondelete="CASCADE")
    reference: str = Field(max_length=256)  # the channel's reference to it (Telegram's file_id)
    content: bytes | None = Field(default=None, sa_column=Column(LargeBinary))
    content_type: str | None = Field(default=None, max_length=64)
    size: int | None = None  # bytes stored
    attempts: int = 0
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))
    next_attempt_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, index=True))
    fetched_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))


# The results' covering index: a survey's answers in (question, stored value) order, with their response
# (to find each answer's group when the results are split by a question: api/surveys/split.py).
Index("ix_survey_answer_results", SurveyAnswer.survey_id, SurveyAnswer.question,  # type: ignore[arg-type]
      cast(SurveyAnswer.value, SqlText), SurveyAnswer.response_id)


# --- API schemas ---------------------------------------------------------------------

class ChoiceIn(SQLModel):
    name: str = Field(min_length=1, max_length=64)
    label: Labels | None = None
    columns: dict[str, str] | None = None  # other columns of the choice, for a choice_filter


class ScaleAnchors(SQLModel):
    """What a scale's ends mean, per language: 1 = low ("nada"), 5 = high ("mucho")."""

    low: Labels
    high: Labels


class QuestionIn(SQLModel):
    name: str = Field(min_length=1, max_length=64)
    type: QuestionType
    label: Labels | None = None  # none for a calculate or an unlabelled group
    hint: Labels | None = None
    required: bool = False
    choices: list[ChoiceIn] = Field(default_factory=list, max_length=MAX_CHOICES)
    relevant: Expression | None = None
    constraint: Expression | None = None
    constraint_message: Labels | None = None
    required_message: Labels | None = None
    calculation: str | None = None  # a calculate's expression
    choice_filter: str | None = None  # cascading selects: which choices to offer
    parameters: dict[str, float] | None = None  # a range's start, end and step
    default: str | None = Field(default=None, max_length=200)  # offered as the answer until one is given
    questions: list["QuestionIn"] | None = None  # a group's or a repeat's questions
    repeat_count: Expression | None = None  # a repeat's number of instances (else the vecino adds them one by one)
    sensitive: bool | None = None  # income, health...: asked only with express consent (a group: all its questions)
    anchors: ScaleAnchors | None = None  # a scale's: what 1 and 5 mean


class SurveyDefinition(SQLModel):
    title: Labels
    default_language: str = Field(default="es", max_length=8)
    languages: list[Annotated[str, Field(max_length=8)]] | None = Field(
        None, max_length=20, description="the languages the form is written in (else those of its labels)")
    allow_choice_duplicates: bool | None = None
    questions: list[QuestionIn] = Field(min_length=1, max_length=200)

    @model_validator(mode="before")
    @classmethod
    def _bounded(cls, data: Any) -> Any:
        if isinstance(data, dict) and len(json.dumps(data, default=str)) > MAX_DEFINITION_BYTES:
            raise ValueError(f"the definition is larger than {MAX_DEFINITION_BYTES // 1000} kB")
        return data


class SurveyCreate(SurveyDefinition):
    barrio_id: int = Field(ge=1, le=2**31 - 1)
    kind: SurveyKind = SurveyKind.DIAGNOSTICO


class SurveyCopy(SQLModel):
    barrio_id: int = Field(ge=1, le=2**31 - 1)


class SurveyPublic(SQLModel):
    id: int
    barrio_id: int
    kind: str
    status: str
    title: str
    questions: int
    definition: dict[str, Any]
    created_at: datetime
    opened_at: datetime | None
    closed_at: datetime | None
    published_at: datetime | None = None  # when staff published its results summary to the vecinos
    warnings: list[str] = Field(default_factory=list)  # on import: questions skipped, and why


class UploadProblem(SQLModel):
    """One thing to change in an uploaded XLSForm, where Excel shows it."""

    code: str = Field(description="stable, for programs: unknown_type, duplicate_name, missing_list, ...")
    sheet: str = Field(description="the sheet as the workbook names it; empty for the file as a whole")
    row: int | None = Field(description="the row number Excel shows (1 is the header row)")
    column: str | None = Field(description="the column's header as written in the sheet")
    message: str = Field(description="what is wrong and what to change, in the language asked")


class UploadProblems(SQLModel):
    """An XLSForm that cannot be loaded: every problem at once."""

    detail: str = Field(description="every problem, a line each, in the language asked")
    errors: list[UploadProblem | FieldError] = Field(
        description="the form's problems; a request that is itself wrong (no file, an unknown lang) names its field")


class ChoiceCount(SQLModel):
    name: str
    label: str
    count: int
    percent: float


class Bounds(SQLModel):
    """The smallest box holding every answered place of a geopoint question."""

    south: float
    west: float
    north: float
    east: float


class Bin(SQLModel):
    """One bar of a numeric question's histogram: how many gave a number from `low` up to (not including) `high`."""

    low: float
    high: float
    count: int


class QuestionResult(SQLModel):
    name: str
    type: str
    label: str
    answered: int
    choices: list[ChoiceCount] | None = None
    mean: float | None = None
    median: float | None = None
    bins: list[Bin] | None = None  # a numeric question's histogram (api/surveys/bins.py)
    texts: list[str] | None = None
    declined: int | None = None  # a sensitive question: responses that declined to answer it (consent refused)
    bounds: Bounds | None = None  # a geopoint question's answered places


class SurveyGroup(SQLModel):
    """The results of the responses that gave one answer to the question results are split by."""

    name: str | None  # the choice's code; None for the responses that did not answer it
    label: str
    started: int
    completed: int
    questions: list[QuestionResult]


class SurveyResults(SQLModel):
    survey_id: int
    title: str
    status: str
    started: int
    completed: int
    questions: list[QuestionResult]
    by: str | None = None  # the single-choice question the groups are split by, if asked
    groups: list[SurveyGroup] | None = None


class SurveyPhotos(SQLModel):
    stored: int  # copied into the database: downloadable, and in photos.zip
    pending: int  # not copied yet (or Telegram no longer had them): downloaded from Telegram while it has them


class Published(SQLModel):
    queued: int


class SummaryQuestion(SQLModel):
    """A question staff may put in the published summary (a choice or a 1–5 scale)."""

    name: str
    label: str
    type: str


class SurveySummary(SQLModel):
    """What the vecinos would read, in each language, and the version that approves exactly it."""

    survey_id: int
    questions: list[str]  # the chosen questions, in the form's order
    choosable: list[SummaryQuestion]
    version: str
    texts: dict[str, str]
class PreviewMessage(SQLModel):
    text: str
    buttons: list[list[str]]  # rows of button labels, as the chat lays them out


class PreviewStep(SQLModel):
    question: str | None  # the question asked; None for the end (thanks and review)
    condition: str | None = None  # its `relevant` and its groups': reached only by those whose answers meet it
    options_filtered: bool = False  # its options depend on earlier answers (a choice_filter)
    messages: list[PreviewMessage]


class SurveyPreview(SQLModel):
    survey_id: int
    language: str
    languages: list[str]  # those the chat speaks; a label missing in one is shown in the form's default
    steps: list[PreviewStep]
