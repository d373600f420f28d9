"""What the ballot conversations need from storage; api/ballots/store.py implements it."""

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from conversations.ballots.rules import Option, Rules, Tally
from conversations.kernel.context import Port


class BallotStatus(StrEnum):
    """scheduled -> open (at opens_at, or early) -> closed (at closes_at, or early); staff may cancel a
    scheduled or open ballot instead (no results are announced)."""

    SCHEDULED = "scheduled"
    OPEN = "open"
    CLOSED = "closed"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class BallotView:
    id: int
    barrio_id: int
    title: str
    description: str
    rules: Rules
    options: tuple[Option, ...]
    closes_at: datetime
    status: str  # scheduled, open, closed
    translations: tuple[tuple[str, str, str], ...] = ()  # (locale, title, description); Spanish is above

    def is_open(self, now: datetime) -> bool:
        return self.status == BallotStatus.OPEN and now < self.closes_at

    def in_language(self, locale: str) -> "BallotView":
        """The ballot and its iniciativas as a vecino reading `locale` sees them, falling back to Spanish."""
        title, description = self.title, self.description
        for language, their_title, their_description in self.translations:
            if language == locale:
                title, description = their_title or title, their_description or description
        return replace(self, title=title, description=description,
                       options=tuple(o.in_language(locale) for o in self.options))


class Ballots(Protocol):
    """Ballots of the vecino's barrio and their vote, bound to the chat's transaction."""

    def open_ballots(self, barrio_id: int, now: datetime) -> list[BallotView]: ...

    def ballot(self, ballot_id: int) -> BallotView | None: ...

    def closed_ballots(self, barrio_id: int) -> list[BallotView]:
        """The barrio's most recently closed ballots, newest first (their results stay visible)."""
        ...

    def results(self, ballot_id: int) -> tuple[Tally, int]:
        """The count of a ballot, as everyone sees it, and the members it is measured against."""
        ...

    def my_vote(self, ballot_id: int, member_id: str) -> tuple[int, ...] | None:
        """The confirmed choice of this member, or None when they have not voted."""
        ...

    def start(self, ballot_id: int, member_id: str, now: datetime) -> None:
        """Note that the member began choosing (they get one reminder if they never confirm)."""
        ...

    def cast(self, ballot_id: int, member_id: str, choice: Sequence[int], now: datetime) -> bool:
        """Store the confirmed choice under the member's pseudonym; True when it replaced one."""
        ...


BALLOTS: Port[Ballots] = Port("ballots")
