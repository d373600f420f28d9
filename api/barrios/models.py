"""Ejecutores (the organisations running the programme), the barrios they work in, and their members.

A member row exists only after the person accepted the privacy notice. Its id is random
and pseudonymous: it is what exports and the API show, never the chat id.
"""

from datetime import date, datetime
from typing import TypeVar
from zoneinfo import available_timezones

from pydantic import field_validator
from sqlalchemy import Column, UniqueConstraint
from sqlmodel import Field, Session, SQLModel

from api.kernel.errors import NotFound
from api.kernel.types import UTCDateTime, utcnow
from conversations.kernel.members import Role

CONTACT = "Whom vecinos ask about their data (an e-mail, a phone, an office); shown in the privacy notice."


class BarrioRow(SQLModel):
    """The columns a table of one barrio's rows starts with: the row's id, and the barrio it is deleted with."""

    id: int | None = Field(default=None, primary_key=True)
    barrio_id: int = Field(foreign_key="barrio.id", index=True, ondelete="CASCADE")


R = TypeVar("R", bound=BarrioRow)


def of_barrio(session: Session, model: type[R], item_id: int, barrio_id: int, what: str) -> R:
    """The `model` row `item_id` when it is the barrio's (a survey a problem cites, an iniciativa a
    contribution funds); NotFound, naming it `what`, otherwise."""
    item = session.get(model, item_id)
    if item is None or item.barrio_id != barrio_id:
        raise NotFound(f"{what} {item_id} not found")
    return item


class EjecutorBase(SQLModel):
    name: str = Field(min_length=2, max_length=120)


class EjecutorUpdate(SQLModel):
    privacy_contact: str | None = Field(default=None, min_length=3, max_length=200, description=CONTACT)


class EjecutorCreate(EjecutorBase):
    pass


class Ejecutor(EjecutorBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    privacy_contact: str | None = Field(default=None, max_length=200)
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))


class EjecutorPublic(EjecutorBase):
    id: int
    privacy_contact: str | None = None
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


class BarrioUpdate(SQLModel):
    """What staff may change after creating a barrio: its data contact and when its programme ends."""

    privacy_contact: str | None = Field(default=None, min_length=3, max_length=200, description=(
        CONTACT + " Overrides the ejecutor's for this barrio."))
    programme_ends_on: date | None = Field(default=None, description=(
        "The last day of the programme in this barrio, when it is not the end of its last phase. After it "
        "plus RETENTION_MONTHS every link between members and their chats is cut for good; aggregate results "
        "stay. null: the end of the last programme phase counts again."))


class Barrio(BarrioBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    ejecutor_id: int = Field(foreign_key="ejecutor.id", index=True, ondelete="CASCADE")
    join_code: str = Field(max_length=16, unique=True, index=True)
    motor_code: str = Field(max_length=16, unique=True, index=True)
    timezone: str = Field(max_length=64)
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))
    privacy_contact: str | None = Field(default=None, max_length=200)
    programme_ends_on: date | None = None  # set by staff; otherwise the end of the last programme phase counts
    links_cut_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))  # retention ran


class BarrioPublic(BarrioBase):
    id: int
    timezone: str
    join_code: str
    join_link: str
    motor_code: str
    motor_link: str
    members: int
    created_at: datetime
    privacy_contact: str | None = None
    programme_ends_on: date | None = Field(default=None, description="the date staff set, if any")
    programme_ends_from: str | None = Field(default=None, description=(
        "what links_cut_on counts from: 'staff' (programme_ends_on) or 'phases' (the end of the last "
        "programme phase); null: neither is known yet"))
    links_cut_on: date | None = Field(default=None, description=(
        "When every personal link is cut: the programme's end plus RETENTION_MONTHS. Staff are warned "
        "30 days before by `retention_warning`."))
    retention_warning: bool = Field(default=False, description="links_cut_on is 30 days away or less")
    links_cut_at: datetime | None = None


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
    withheld: bool = False  # opposition: answers and votes stay stored but leave results and exports


class MemberPublic(SQLModel):
    """What an ejecutor sees of a member: no chat id, no name unless shared."""

    id: str
    role: str
    locale: str
    subscribed: bool
    reachable: bool
    withheld: bool
    display_name: str | None
    joined_at: datetime
