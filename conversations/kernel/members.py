"""Who is talking: barrios, members and their roles, and the directory port every flow uses.

api/barrios/directory.py implements the port.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol, TypedDict, Unpack


class Role(StrEnum):
    """A member's role in the barrio: the join code makes a vecino, the grupo motor code a motor."""

    VECINO = "vecino"
    MOTOR = "motor"


@dataclass(frozen=True)
class BarrioRef:
    """A barrio found by one of its codes, and the role that code grants."""

    id: int
    name: str
    role: Role
    responsible: str = ""  # the organisation (ejecutor) responsible for the barrio's data
    contact: str | None = None  # how to reach it about one's data, as its staff set it
    retention_months: int = 6  # how long after the programme ends personal links are kept


@dataclass(frozen=True)
class MemberView:
    id: str
    barrio_id: int
    barrio_name: str
    timezone: str
    locale: str
    role: Role
    subscribed: bool
    share_name: bool
    display_name: str | None
    joined_at: datetime
    reachable: bool = True  # False after Telegram said the person blocked the bot
    withheld: bool = False  # the person asked that their answers and votes not be used (opposition)

    @property
    def is_motor(self) -> bool:
        return self.role == Role.MOTOR


@dataclass(frozen=True)
class Record:
    """One thing stored about a person, as their data download lists it (in their language)."""

    topic: str  # what it belongs to: a survey's title, a ballot's, a convocatoria's
    item: str  # the question, the date, ...
    value: str  # as a person reads it
    code: Any = None  # as stored, for machines: choice codes, iniciativa numbers
    at: datetime | None = None


class MemberChanges(TypedDict, total=False):
    """What a flow may change about a member (`Directory.update_member`)."""

    locale: str
    role: Role
    subscribed: bool
    withheld: bool  # opposition: their answers and votes leave results and exports


class Directory(Protocol):
    """Barrios and their members, bound to the chat being served."""

    def barrio_by_code(self, code: str) -> BarrioRef | None: ...

    def code_misses(self, since: datetime) -> int:
        """How many codes typed in this chat after `since` matched no barrio."""
        ...

    def code_missed(self, at: datetime) -> None:
        """Count a code typed in this chat that matched no barrio."""
        ...

    def join(self, *, barrio_id: int, role: Role, locale: str) -> str:
        """Create (or reuse) this chat's member; returns the pseudonymous member id."""
        ...

    def member(self, member_id: str) -> MemberView | None: ...

    def update_member(self, member_id: str, **changes: Unpack[MemberChanges]) -> None:
        """Change what is given of the member; the rest stays."""
        ...

    def records(self, member_id: str) -> Mapping[str, int]:
        """How many stored records of each kind belong to the member (for /misdatos)."""
        ...

    def export(self, member_id: str, locale: str) -> Mapping[str, Sequence[Record]]:
        """Everything stored about the member, by kind, worded in `locale` (their data download).

        Logged for accountability (who downloaded, when; no personal data in the log).
        """
        ...

    def delete_member(self, member_id: str) -> None:
        """Delete the member and everything stored about them."""
        ...
