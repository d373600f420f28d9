"""Ballots on a barrio's iniciativas, and the votes, kept apart from who cast them.

A vote row carries only a random per-ballot voter id. The link from that id to the
member lives in `ballot_voter`, which exports and results never read; deleting the
member deletes the link and, through it, the vote (ON DELETE CASCADE).
"""

from datetime import datetime
from typing import Annotated

from pydantic import model_validator
from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from api.barrios.models import BarrioRow
from api.kernel.types import AwareMoment, UTCDateTime, utcnow
from api.kernel.validation import one_of, other_languages
from conversations.ballots.ports import BallotStatus
from conversations.ballots.rules import AMBITOS, BUDGET, METHODS, SINGLE

MAX_CLP = 2_000_000_000  # fits a 32-bit column; far above any Acción Local budget
MAX_INICIATIVAS = 20


class Ballot(BarrioRow, table=True):
    title: str = Field(max_length=120)
    description: str = Field(default="", max_length=1000)
    method: str = Field(max_length=12)
    max_choices: int = 1
    budget: int | None = None
    min_budget_share: float | None = None
    opens_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    closes_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    status: str = Field(default=BallotStatus.SCHEDULED, max_length=12, index=True)
    opened_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    closed_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    # When every member's results message was queued; NULL on a closed ballot means still to do
    # (they are queued in batches after the close, api/ballots/schedule.py).
    results_queued_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    opening_queued_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    cancelled_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    revision: int = Field(default=0, sa_column_kwargs={"server_default": "0"})  # raised by each edit (changes.py)
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))
    # {"ht": {"title": ..., "description": ...}, "en": {...}}: what vecinos reading those languages see
    translations: dict[str, dict[str, str]] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class Iniciativa(SQLModel, table=True):
    __tablename__ = "ballot_iniciativa"
    __table_args__ = (UniqueConstraint("ballot_id", "position"),)

    id: int | None = Field(default=None, primary_key=True)
    ballot_id: int = Field(foreign_key="ballot.id", index=True, ondelete="CASCADE")
    position: int
    title: str = Field(max_length=80)
    description: str = Field(default="", max_length=300)
    ambito: str = Field(max_length=16)
    cost: int = Field(sa_column_kwargs={"nullable": False})
    translations: dict[str, dict[str, str]] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class BallotVoter(SQLModel, table=True):
    """The only link between a member and their pseudonym on one ballot."""

    __tablename__ = "ballot_voter"
    __table_args__ = (UniqueConstraint("ballot_id", "member_id"),)

    id: str = Field(primary_key=True, max_length=16)  # the pseudonym exports show
    ballot_id: int = Field(foreign_key="ballot.id", index=True, ondelete="CASCADE")
    member_id: str = Field(max_length=16, foreign_key="member.id", index=True, ondelete="CASCADE")
    started_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))


class BallotVote(SQLModel, table=True):
    """One confirmed choice per (ballot, voter); changing the vote updates this row."""

    __tablename__ = "ballot_vote"

    id: int | None = Field(default=None, primary_key=True)
    ballot_id: int = Field(foreign_key="ballot.id", index=True, ondelete="CASCADE")
    voter_id: str = Field(max_length=16, foreign_key="ballot_voter.id", index=True, ondelete="CASCADE")
    choice: list[int] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    cast_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))

    __table_args__ = (UniqueConstraint("ballot_id", "voter_id", name="uq_ballot_vote_once"),)


# --- API schemas -------------------------------------------------------------------

class IniciativaText(SQLModel):
    title: str = Field(min_length=2, max_length=80)
    description: str = Field(default="", max_length=300)


class BallotText(SQLModel):
    title: str = Field(min_length=2, max_length=120)
    description: str = Field(default="", max_length=1000)


class IniciativaIn(SQLModel):
    title: str = Field(min_length=2, max_length=80)
    description: str = Field(default="", max_length=300)
    ambito: str = Field(description=f"one of {', '.join(AMBITOS)}")
    cost: int = Field(ge=0, le=MAX_CLP, description="estimated cost in CLP; not negative")
    translations: dict[str, IniciativaText] = Field(default_factory=dict, description=(
        "The title and description for vecinos reading another language: {\"ht\": {...}, \"en\": {...}}"))

    _languages = other_languages("translations")

    _ambito = one_of("ambito", AMBITOS)


class BallotCreate(SQLModel):
    title: str = Field(min_length=2, max_length=120)
    description: str = Field(default="", max_length=1000)
    method: str = Field(description=f"one of {', '.join(METHODS)}")
    max_choices: int | None = Field(default=None, ge=1, description="k for approval and ranked")
    budget: int | None = Field(default=None, gt=0, le=MAX_CLP, description="available budget in CLP, for budget")
    min_budget_share: float | None = Field(default=None, ge=0, le=1,
                                           description="share of the budget a vote must use, for budget")
    opens_at: AwareMoment
    closes_at: AwareMoment
    iniciativas: Annotated[list[IniciativaIn], Field(min_length=2, max_length=MAX_INICIATIVAS)]
    translations: dict[str, BallotText] = Field(default_factory=dict, description=(
        "The title and description for vecinos reading another language: {\"ht\": {...}, \"en\": {...}}"))

    _languages = other_languages("translations")

    _method = one_of("method", METHODS)


    @model_validator(mode="after")
    def _consistent(self) -> "BallotCreate":
        if self.closes_at <= self.opens_at:
            raise ValueError("closes_at must be after opens_at")
        if self.method == BUDGET:
            if self.budget is None:
                raise ValueError("budget is required for the budget method")
            too_dear = [i.title for i in self.iniciativas if i.cost > self.budget]
            if too_dear:
                raise ValueError(f"iniciativas cost more than the whole budget: {', '.join(too_dear)}")
        elif self.method == SINGLE:
            self.max_choices = 1
        elif self.max_choices is None:
            raise ValueError(f"max_choices is required for the {self.method} method")
        elif self.max_choices > len(self.iniciativas):
            raise ValueError("max_choices is more than the number of iniciativas")
        if self.method != BUDGET and self.min_budget_share is not None:
            raise ValueError("min_budget_share applies only to the budget method")
        return self


class BallotTimes(SQLModel):
    """A new opening and closing time; an open ballot can only move its closing time."""

    opens_at: AwareMoment | None = Field(default=None, description="only while scheduled; unchanged when left out")
    closes_at: AwareMoment


class IniciativaPublic(SQLModel):
    index: int
    title: str
    description: str
    ambito: str
    cost: int
    translations: dict[str, IniciativaText] = Field(default_factory=dict)


class BallotPublic(SQLModel):
    id: int
    barrio_id: int
    title: str
    description: str
    method: str
    max_choices: int
    budget: int | None
    min_budget_share: float | None
    opens_at: datetime
    closes_at: datetime
    status: str
    opened_at: datetime | None
    closed_at: datetime | None
    cancelled_at: datetime | None = None
    iniciativas: list[IniciativaPublic]
    voters: int
    translations: dict[str, BallotText] = Field(default_factory=dict)


class ResultLine(SQLModel):
    rank: int
    index: int
    title: str
    ambito: str
    cost: int
    votes: int = Field(description="ballots that include it")
    points: int = Field(description="Borda points for ranked; equal to votes otherwise")
    selected: bool


class BallotResults(SQLModel):
    ballot_id: int
    title: str
    method: str
    status: str
    counting_rule: str
    voters: int
    members: int
    participation: float = Field(description="voters / members of the barrio, 0..1")
    budget: int | None
    selected: list[int] = Field(description="indexes of the selected iniciativas (budget method)")
    selected_cost: int
    ranking: list[ResultLine]
