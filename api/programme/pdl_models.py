"""The Plan de Desarrollo Local: problems from the diagnóstico, iniciativas, their hitos and status history.

An iniciativa can be put to a ballot (`ballot_id`, `ballot_position`): when that ballot
closes, the selected ones become priorizadas (api/programme/jobs.py), once: the job claims
the ballot's iniciativas by setting `ballot_counted_at`. Every status change
is a row of `pdl_status_change`; its id is the outbox's ref_id for the notice to vecinos.
"""

from datetime import date, datetime

from sqlalchemy import Column, false
from sqlmodel import Field, SQLModel

from api.barrios.models import BarrioRow
from api.kernel.types import AwareMoment, UTCDateTime, utcnow
from api.kernel.validation import one_of
from conversations.programme.ports import IdeaStatus
from conversations.programme.rules import AMBITOS, DIMENSIONS, IniciativaStatus

MAX_CLP = 2_000_000_000


class PdlProblem(BarrioRow, table=True):
    __tablename__ = "pdl_problem"

    dimension: str = Field(max_length=16)
    title: str = Field(max_length=200)
    description: str = Field(default="", max_length=2000)
    objective: str = Field(default="", max_length=1000)
    survey_id: int | None = Field(default=None, foreign_key="survey.id", ondelete="SET NULL")
    question: str | None = Field(default=None, max_length=64)
    result: str = Field(default="", max_length=500)  # what the diagnóstico found, e.g. "62% dice que..."


class PdlIniciativa(BarrioRow, table=True):
    __tablename__ = "pdl_iniciativa"

    problem_id: int | None = Field(default=None, foreign_key="pdl_problem.id", ondelete="SET NULL")
    title: str = Field(max_length=80)
    title_ht: str | None = Field(default=None, max_length=80)
    title_en: str | None = Field(default=None, max_length=80)
    description: str = Field(default="", max_length=1000)
    description_ht: str | None = Field(default=None, max_length=1000)
    description_en: str | None = Field(default=None, max_length=1000)
    ambito: str = Field(max_length=16)
    urgencia: bool = False
    cost: int = 0
    fosis_amount: int = 0
    status: str = Field(default=IniciativaStatus.PROPUESTA, max_length=16)
    progress: int = 0
    responsible: str = Field(default="", max_length=120)
    ballot_id: int | None = Field(default=None, foreign_key="ballot.id", index=True, ondelete="SET NULL")
    ballot_position: int | None = None
    ballot_counted_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))  # its close was applied
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))


class PdlHito(SQLModel, table=True):
    __tablename__ = "pdl_hito"

    id: int | None = Field(default=None, primary_key=True)
    iniciativa_id: int = Field(foreign_key="pdl_iniciativa.id", index=True, ondelete="CASCADE")
    on: date
    text: str = Field(max_length=500)
    photo_url: str | None = Field(default=None, max_length=500)
    # reported by the grupo motor from the chat: shown to no vecino, sent to no follower, until staff approve it
    pending: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    # the grupo motor member who reported it, told when staff approve it or leave it out; the link goes
    # with the member (/borrar), the hito stays
    reported_by: str | None = Field(default=None, max_length=16, foreign_key="member.id", ondelete="SET NULL")


class PdlFollower(SQLModel, table=True):
    """A vecino who follows an iniciativa (they voted for it, or chose to) and gets its hitos.

    `following` false is kept, so a vecino who stopped is not made to follow again when a
    ballot is counted. Deleted with the member (/borrar).
    """

    __tablename__ = "pdl_follower"

    iniciativa_id: int = Field(foreign_key="pdl_iniciativa.id", primary_key=True, ondelete="CASCADE")
    member_id: str = Field(max_length=16, foreign_key="member.id", primary_key=True, index=True, ondelete="CASCADE")
    following: bool = True
    since: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))


class PdlIdea(BarrioRow, table=True):
    """A vecino's idea for an iniciativa (/proponer); staff merge it into the PDL or decline it.

    Deleted with its proposer (/borrar); an iniciativa made from it stays.
    """

    __tablename__ = "pdl_idea"

    member_id: str = Field(max_length=16, foreign_key="member.id", index=True, ondelete="CASCADE")
    title: str = Field(max_length=80)
    description: str = Field(default="", max_length=300)
    ambito: str = Field(max_length=16)
    status: str = Field(default=IdeaStatus.NUEVA, max_length=12)
    iniciativa_id: int | None = Field(default=None, foreign_key="pdl_iniciativa.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))
    decided_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))


class PdlStatusChange(SQLModel, table=True):
    __tablename__ = "pdl_status_change"

    id: int | None = Field(default=None, primary_key=True)
    iniciativa_id: int = Field(foreign_key="pdl_iniciativa.id", index=True, ondelete="CASCADE")
    old: str = Field(max_length=16)
    new: str = Field(max_length=16)
    at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))
    by: str = Field(default="", max_length=120)


# --- API schemas -------------------------------------------------------------------


class ProblemIn(SQLModel):
    dimension: str = Field(description=f"one of {', '.join(DIMENSIONS)}")
    title: str = Field(min_length=2, max_length=200)
    description: str = Field(default="", max_length=2000)
    objective: str = Field(default="", max_length=1000)
    survey_id: int | None = Field(default=None, ge=1, le=2**31 - 1, description="a diagnóstico survey it cites")
    question: str | None = Field(default=None, max_length=64)
    result: str = Field(default="", max_length=500)

    _dimension = one_of("dimension", DIMENSIONS)


class ProblemPublic(ProblemIn):
    id: int


class IniciativaFields(SQLModel):
    title: str = Field(min_length=2, max_length=80)
    title_ht: str | None = Field(default=None, max_length=80)
    title_en: str | None = Field(default=None, max_length=80)
    description: str = Field(default="", max_length=1000)
    description_ht: str | None = Field(default=None, max_length=1000)
    description_en: str | None = Field(default=None, max_length=1000)
    ambito: str = Field(description=f"one of {', '.join(AMBITOS)}")
    urgencia: bool = Field(default=False, description="the iniciativa de urgencia of Fase I")
    cost: int = Field(default=0, ge=0, le=MAX_CLP, description="estimated cost in CLP")
    fosis_amount: int = Field(default=0, ge=0, le=MAX_CLP, description="FOSIS financing in CLP")
    progress: int = Field(default=0, ge=0, le=100)
    responsible: str = Field(default="", max_length=120, description="staff name, or 'grupo motor'")
    problem_id: int | None = Field(default=None, ge=1, le=2**31 - 1)

    _ambito = one_of("ambito", AMBITOS)


class IniciativaUpdate(SQLModel):
    """Any field of an iniciativa but its status (which moves through /status)."""

    title: str | None = Field(default=None, min_length=2, max_length=80)
    title_ht: str | None = Field(default=None, max_length=80)
    title_en: str | None = Field(default=None, max_length=80)
    description: str | None = Field(default=None, max_length=1000)
    description_ht: str | None = Field(default=None, max_length=1000)
    description_en: str | None = Field(default=None, max_length=1000)
    cost: int | None = Field(default=None, ge=0, le=MAX_CLP)
    fosis_amount: int | None = Field(default=None, ge=0, le=MAX_CLP)
    progress: int | None = Field(default=None, ge=0, le=100)
    responsible: str | None = Field(default=None, max_length=120)


class StatusMove(SQLModel):
    status: IniciativaStatus
    by: str = Field(default="", max_length=120)


class HitoIn(SQLModel):
    on: date
    text: str = Field(min_length=2, max_length=500)
    photo_url: str | None = Field(default=None, max_length=500, regex=r"^https?://")


class HitoPublic(HitoIn):
    id: int
    pending: bool = Field(description="reported by the grupo motor, waiting for staff approval; vecinos do not see it")


class PendingHito(HitoPublic):
    """A hito the grupo motor reported, as staff see it in the barrio's approval queue."""

    iniciativa_id: int
    iniciativa: str


class IniciativaPublic(IniciativaFields):
    id: int
    barrio_id: int
    status: str
    next_statuses: list[str]
    ballot_id: int | None
    hitos: list[HitoPublic]
    contributions: int = Field(description="partners' contributions in CLP (money and in kind)")
    financing: int = Field(description="fosis_amount + contributions")


class PdlPublic(SQLModel):
    barrio_id: int
    validated_on: date | None
    hitos_need_approval: bool = Field(description="the grupo motor's hitos wait for staff approval")
    problems: list[ProblemPublic]
    iniciativas: list[IniciativaPublic]


class PdlBallotIn(SQLModel):
    """A ballot over the PDL's proposed iniciativas (all of them unless `iniciativas` names some)."""

    title: str = Field(min_length=2, max_length=120)
    method: str = Field(default="approval")
    max_choices: int | None = Field(default=None, ge=1)
    budget: int | None = Field(default=None, gt=0, le=MAX_CLP)
    opens_at: AwareMoment
    closes_at: AwareMoment
    iniciativas: list[int] | None = None



class HitoApproval(SQLModel):
    required: bool = Field(description="true: the grupo motor's hitos wait for staff approval; false: sent at once")


class PdlValidation(SQLModel):
    validated_on: date = Field(description="the day the community validated the PDL; Fase V starts then")


class IdeaPublic(SQLModel):
    """A vecino's idea as staff see it: no member id."""

    id: int
    title: str
    description: str
    ambito: str
    status: str
    iniciativa_id: int | None
    created_at: datetime
    decided_at: datetime | None


class IdeaMerge(SQLModel):
    """Merge into an existing iniciativa of the PDL, or (without `iniciativa_id`) make a new one from the idea."""

    iniciativa_id: int | None = Field(default=None, ge=1, le=2**31 - 1)
