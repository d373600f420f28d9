"""Ejecutores (the organisations running the programme), the barrios they work in, and their members.

A member row exists only after the person accepted the privacy notice. Its id is random
and pseudonymous: it is what exports and the API show, never the chat id.
"""

from datetime import datetime
from zoneinfo import available_timezones

from pydantic import field_validator
from sqlalchemy import Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from api.kernel.types import UTCDateTime, utcnow
from conversations.kernel.members import Role


class EjecutorBase(SQLModel):
    name: str = Field(min_length=2, max_length=120)


class EjecutorCreate(EjecutorBase):
    pass


class Ejecutor(EjecutorBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))


class EjecutorPublic(EjecutorBase):
    id: int
    created_at: datetime


class EjecutorCreated(EjecutorPublic):
    token: str = Field(description="Shown once; store it safely. Only its hash is kept.")


TIMEZONES = frozenset(available_timezones())  # read once: it scans the tz database


class BarrioBase(SQLModel):
    name: str = Field(min_length=2, max_length=120)
    comuna: str = Field(min_length=2, max_length=80)
    region: str = Field(min_length=2, max_length=80)

    @field_validator("name", "comuna", "region")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        value = value.strip()
        if len(value) < 2:
            raise ValueError("must have at least 2 non-blank characters")
        return value


class BarrioCreate(BarrioBase):
    timezone: str | None = Field(
        default=None, description="IANA zone; the service's TIMEZONE when omitted."
    )

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        if value is not None and value not in TIMEZONES:
            raise ValueError(f"unknown time zone {value!r}")
        return value


class Barrio(BarrioBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    ejecutor_id: int = Field(foreign_key="ejecutor.id", index=True, ondelete="CASCADE")
    join_code: str = Field(max_length=16, unique=True, index=True)
    motor_code: str = Field(max_length=16, unique=True, index=True)
    timezone: str = Field(max_length=64)
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))


class BarrioPublic(BarrioBase):
    id: int
    timezone: str
    join_code: str
    join_link: str
    motor_code: str
    motor_link: str
    members: int
    created_at: datetime


class Member(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("channel", "chat_id"),)

    id: str = Field(primary_key=True, max_length=16)
    barrio_id: int = Field(foreign_key="barrio.id", index=True, ondelete="CASCADE")
    channel: str = Field(max_length=16)
    chat_id: str = Field(max_length=64)
    locale: str = Field(max_length=8)
    role: str = Field(default=Role.VECINO, max_length=8)
    subscribed: bool = True
    reachable: bool = True
    share_name: bool = False
    display_name: str | None = Field(default=None, max_length=64)
    joined_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))


class MemberPublic(SQLModel):
    """What an ejecutor sees of a member: no chat id, no name unless shared."""

    id: str
    role: str
    locale: str
    subscribed: bool
    reachable: bool
    display_name: str | None
    joined_at: datetime
