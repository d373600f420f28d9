"""What the "Nuestro barrio" conversation needs from storage; api/programme/port.py implements it."""

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Protocol

from conversations.kernel.context import Port
from conversations.programme.phases import Phase


@dataclass(frozen=True)
class PhaseView:
    phase: Phase
    starts_on: date
    ends_on: date


@dataclass(frozen=True)
class Hito:
    on: date
    text: str
    photo_url: str | None = None  # a link staff gave; the chat shows it as text (Telegram makes it a link)


@dataclass(frozen=True)
class IniciativaView:
    id: int
    barrio_id: int
    titles: dict[str, str]  # locale -> title; "es" always present
    descriptions: dict[str, str]
    ambito: str
    urgencia: bool
    status: str
    progress: int  # 0..100
    cost: int
    hitos: tuple[Hito, ...] = ()
    by_motor: bool = False  # the grupo motor is responsible for it: it reports its hitos from the chat

    def title(self, locale: str) -> str:
        return self.titles.get(locale) or self.titles["es"]

    def description(self, locale: str) -> str:
        return self.descriptions.get(locale) or self.descriptions.get("es", "")


@dataclass(frozen=True)
class Idea:
    """A vecino's proposal for an iniciativa, made in the chat during Fase II."""

    title: str
    description: str
    ambito: str


class IdeaStatus(StrEnum):
    """nueva -> incorporada (merged into the PDL) or descartada; the proposer is told either way."""

    NUEVA = "nueva"
    INCORPORADA = "incorporada"
    DESCARTADA = "descartada"


class Programme(Protocol):
    """A barrio's timeline and PDL as vecinos see them, bound to the chat's transaction."""

    def phases(self, barrio_id: int) -> list[PhaseView]:
        """The barrio's phases by start date; empty when its programme has not started."""
        ...

    def iniciativas(self, barrio_id: int) -> list[IniciativaView]:
        """The PDL's iniciativas (without hitos), descartadas last."""
        ...

    def iniciativa(self, iniciativa_id: int) -> IniciativaView | None:
        """One iniciativa with its hitos, newest first."""
        ...

    def following(self, iniciativa_id: int, member_id: str) -> bool:
        """Whether the member gets the iniciativa's hitos."""
        ...

    def follow(self, iniciativa_id: int, member_id: str, on: bool) -> None:
        """Start or stop getting the iniciativa's hitos."""
        ...

    def propose(self, *, member_id: str, barrio_id: int, idea: Idea) -> int:
        """Keep a vecino's idea for an iniciativa, for staff to read; its id."""
        ...

    def report_hito(self, iniciativa_id: int, text: str, on: date, member_id: str) -> bool:
        """Keep a hito a member of the grupo motor reported (they are told what staff decide); True when it
        waits for staff approval (the barrio's setting), False when it went to the iniciativa's followers at once."""
        ...


PROGRAMME: Port[Programme] = Port("programme")
