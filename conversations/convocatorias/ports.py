"""What the convocatoria flows need from storage; api/convocatorias/store.py implements it."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from conversations.kernel.context import Port


class Answer(StrEnum):
    """A vecino's answer to a convocatoria (RSVP)."""

    YES = "yes"
    MAYBE = "maybe"
    NO = "no"


Versions = Mapping[str, Mapping[str, str]]  # locale -> {"title": ..., "details": ...}: the text in another language


@dataclass(frozen=True)
class Draft:
    title: str
    starts_at: datetime
    place: str
    details: str = ""
    versions: Versions = field(default_factory=dict)


@dataclass(frozen=True)
class ConvocatoriaView:
    id: int
    barrio_id: int
    title: str
    starts_at: datetime
    place: str
    details: str
    versions: Versions = field(default_factory=dict)
    cancelled: bool = False  # staff called it off (api/convocatorias/changes.py)


@dataclass(frozen=True)
class ConvocatoriaStatus:
    """Delivery and answers of one convocatoria, as the grupo motor may see them."""

    convocatoria: ConvocatoriaView
    delivery: Mapping[str, int]  # outbox status -> rows
    rsvps: Mapping[str, int]  # yes / maybe / no -> members
    names: Mapping[str, Sequence[str]] = field(default_factory=dict)  # only names shared willingly


class Convocatorias(Protocol):
    """Convocatorias of the vecino's barrio and their answers, bound to the chat's transaction."""

    def send(self, *, member_id: str, draft: Draft) -> tuple[ConvocatoriaView, int]:
        """Store the convocatoria and queue it for every subscribed vecino; (it, how many queued)."""
        ...

    def get(self, convocatoria_id: int) -> ConvocatoriaView | None: ...

    def upcoming(self, barrio_id: int, now: datetime) -> Sequence[ConvocatoriaView]: ...

    def recent(self, barrio_id: int, now: datetime) -> Sequence[ConvocatoriaView]:
        """Upcoming ones and those of the last weeks, newest first (for the grupo motor)."""
        ...

    def answer(self, convocatoria_id: int, member_id: str) -> str | None: ...

    def set_answer(self, convocatoria_id: int, member_id: str, answer: str) -> None: ...

    def share_name(self, member_id: str, name: str | None) -> None:
        """Store the first name the member agreed to show, or stop showing it (None)."""
        ...

    def status(self, convocatoria_id: int) -> ConvocatoriaStatus | None: ...

    def call_off(self, convocatoria_id: int, now: datetime) -> int | None:
        """Call it off and tell those who got it or said Asistiré / Tal vez; how many are told, or None when
        it is over or called off already."""
        ...

    def move(self, convocatoria_id: int, starts_at: datetime, now: datetime) -> int | None:
        """Give it a new date (answers kept) and tell the same people; how many, or None as for call_off."""
        ...


CONVOCATORIAS: Port[Convocatorias] = Port("convocatorias")
