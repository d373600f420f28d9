"""A barrio's programme: its start, its phases' dates and status, and each phase's activities.

A phase's `status` follows its dates (api/programme/jobs.py); `announced_at` is set once,
by the one process whose conditional UPDATE claimed the phase's start, which is also the
one that queues the announcement. `edited` marks dates staff set by hand, which the
defaults never overwrite again.
"""

from datetime import date, datetime

from pydantic import model_validator
from sqlalchemy import Column, UniqueConstraint, true
from sqlmodel import Field, SQLModel

from api.barrios.models import BarrioRow
from api.kernel.types import UTCDateTime, utcnow
from conversations.programme.phases import PhaseStatus


class Programme(SQLModel, table=True):
    barrio_id: int = Field(foreign_key="barrio.id", primary_key=True, ondelete="CASCADE")
    starts_on: date
    pdl_validated_on: date | None = None
    # the grupo motor's hitos wait for staff approval before vecinos see them (false: they go out at once)
    hitos_need_approval: bool = Field(default=True, sa_column_kwargs={"server_default": true()})
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))


class ProgrammePhase(BarrioRow, table=True):
    __tablename__ = "programme_phase"
    __table_args__ = (UniqueConstraint("barrio_id", "phase"),)

    phase: str = Field(max_length=8)
    starts_on: date
    ends_on: date
    edited: bool = False
    status: str = Field(default=PhaseStatus.PLANNED, max_length=8, index=True)
    announced_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))


class ProgrammeActivity(BarrioRow, table=True):
    __tablename__ = "programme_activity"
    __table_args__ = (UniqueConstraint("barrio_id", "key"),)

    phase: str = Field(max_length=8)
    key: str = Field(max_length=32)
    done_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    done_by: str | None = Field(default=None, max_length=120)  # a staff name, or "auto" for evidence
    note: str = Field(default="", max_length=1000)
    evidence: str | None = Field(default=None, max_length=24)  # what proved it: survey, convocatoria, ballot
    evidence_id: int | None = None


# --- API schemas -------------------------------------------------------------------


class ProgrammeStart(SQLModel):
    starts_on: date = Field(description="first day of Fase I; every phase gets its default dates from it")


class PhaseDates(SQLModel):
    starts_on: date
    ends_on: date

    @model_validator(mode="after")
    def _ordered(self) -> "PhaseDates":
        if self.ends_on <= self.starts_on:
            raise ValueError("ends_on must be after starts_on")
        return self


class ActivityTick(SQLModel):
    done: bool = Field(description="true ticks the activity, false unticks it")
    by: str = Field(default="", max_length=120, description="who did it (staff name)")
    note: str = Field(default="", max_length=1000)


class ActivityPublic(SQLModel):
    key: str
    phase: str
    name: str
    done: bool
    done_at: datetime | None
    done_by: str | None
    note: str
    evidence: str | None
    evidence_id: int | None
    automatic: str | None = Field(description="the evidence that ticks it by itself, if any")


class PhasePublic(SQLModel):
    phase: str
    name: str
    starts_on: date
    ends_on: date
    edited: bool
    status: str
    announced_at: datetime | None
    activities: list[ActivityPublic]


class TimelinePublic(SQLModel):
    barrio_id: int
    starts_on: date
    pdl_validated_on: date | None
    today: date = Field(description="today in the barrio's time zone")
    active: list[str] = Field(description="the phases running today (they overlap)")
    phases: list[PhasePublic]
