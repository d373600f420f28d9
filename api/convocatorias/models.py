"""Convocatorias (calls to assemblies) written by the grupo motor, and vecinos' answers.

The message itself travels through the outbox (kind "convocatoria", ref_id = id);
reminders use kind "reminder". An RSVP belongs to the member and goes with /borrar.
"""

from datetime import datetime

from sqlalchemy import JSON, Column, Index
from sqlmodel import Field, SQLModel

from api.barrios.models import BarrioRow
from api.kernel.types import AwareMoment, UTCDateTime, utcnow
from api.kernel.validation import other_languages


class Convocatoria(BarrioRow, table=True):
    author_id: str | None = Field(default=None, max_length=16, foreign_key="member.id", ondelete="SET NULL")
    title: str = Field(max_length=200)
    starts_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False, index=True))
    place: str = Field(max_length=200)
    details: str = Field(default="", max_length=1000)
    # the title and details the grupo motor also wrote in other languages: {"ht": {"title": ..., "details": ...}}
    versions: dict[str, dict[str, str]] | None = Field(default=None, sa_column=Column(JSON))
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))
    cancelled_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    revision: int = Field(default=0, sa_column_kwargs={"server_default": "0"})  # raised by each new date


class Rsvp(SQLModel, table=True):
    __table_args__ = (Index("ix_rsvp_member", "member_id"),)

    convocatoria_id: int = Field(foreign_key="convocatoria.id", primary_key=True, ondelete="CASCADE")
    member_id: str = Field(max_length=16, foreign_key="member.id", primary_key=True, ondelete="CASCADE")
    answer: str = Field(max_length=8)
    updated_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))


class ConvocatoriaPublic(SQLModel):
    """What the ejecutor (and the grupo motor, in the chat) sees of a convocatoria."""

    id: int
    title: str
    starts_at: datetime
    place: str
    details: str
    versions: dict[str, dict[str, str]] | None = Field(
        default=None, description="title and details in other languages, by language code")
    created_at: datetime
    cancelled_at: datetime | None = None
    delivery: dict[str, int] = Field(description="outbox rows by status: pending, sending, sent, failed, unreachable")
    rsvps: dict[str, int] = Field(description="answers by kind: yes, maybe, no")
    names: dict[str, list[str]] = Field(description="first names, only of those who agreed to share them")


class ConvocatoriaCreate(SQLModel):
    """A convocatoria staff send to a barrio's vecinos, as the grupo motor's /convocar does."""

    title: str = Field(min_length=2, max_length=200, description="what: Asamblea para validar el diagnóstico")
    starts_at: AwareMoment = Field(description="when, with its UTC offset; shown in the barrio's time zone")
    place: str = Field(min_length=2, max_length=200, description="where")
    details: str = Field(default="", max_length=1000)


class ConvocatoriaMove(SQLModel):
    """A new date (and, if it changes too, a new place); the answers already given are kept."""

    starts_at: AwareMoment
    place: str | None = Field(default=None, min_length=2, max_length=200)


class Announcement(BarrioRow, table=True):
    """A short message staff send to every subscribed vecino of a barrio (outbox kind "announcement")."""

    text: str = Field(max_length=1000)
    # {"ht": "...", "en": "..."}: what vecinos reading those languages get instead of the Spanish
    translations: dict[str, str] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))


class AnnouncementCreate(SQLModel):
    text: str = Field(min_length=2, max_length=1000, description="in Spanish")
    translations: dict[str, str] = Field(default_factory=dict, description=(
        "the same text for vecinos reading another language: {\"ht\": \"...\", \"en\": \"...\"}"))

    _languages = other_languages("translations")


class AnnouncementPublic(SQLModel):
    id: int
    text: str
    translations: dict[str, str]
    created_at: datetime
    delivery: dict[str, int] = Field(description="outbox rows by status: pending, sending, sent, failed, unreachable")
