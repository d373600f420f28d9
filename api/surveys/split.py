"""The group of every response when a survey's results are split by a question, handed to the database as codes.

Joining each of 200,000 answers to its response's answer to the splitting question costs one
index lookup per answer, and grouping by that answer a sort of them all on SQLite (0.2 to
0.5 s on the bench, README's performance section). Instead, the responses' groups are read
once (one row per response) and written as one code per response id into a byte string;
the counting query reads each answer's group at its response's place in that string
(`substr` of a BLOB or bytea: constant time, no lookup), so the answers are still counted
from ix_survey_answer_results alone, in one pass. SQLite groups them in index order and
concatenates the codes of each group (`group_concat`, no sort), counted here; PostgreSQL
adds the code to its GROUP BY (a hash aggregate).

Responses that do not count (withheld, outside the window) and ids of other surveys' responses
between the first and the last get the code LEFT_OUT, which counts for no group.
"""

import json
import string
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Connection, Integer, LargeBinary, bindparam, cast, func, select

from api.surveys.models import SurveyAnswer

ALPHABET = string.digits + string.ascii_letters  # one character per group while there are at most 62
LEFT_OUT = "-"


@dataclass
class Response:
    """One response of the survey: whether it counts, whether it was completed, its stored answer to the question."""

    id: int
    counts: bool
    completed: bool
    stored: str | None  # the answer as stored (JSON text), None without one


@dataclass(frozen=True)
class Groups:
    """Each response's group as a code at its place (its id less the first id, times `width`) in `codes`."""

    first: int
    width: int
    codes: bytes
    names: dict[str, str | None]  # code: the group (the choice's code; None for the responses without an answer)
    started: Counter[str | None]
    completed: Counter[str | None]

    @classmethod
    def of(cls, responses: Sequence[Response]) -> "Groups | None":
        """The groups of these responses (a survey's, in any order); None without any."""
        if not responses:
            return None
        first, last = min(r.id for r in responses), max(r.id for r in responses)
        groups: dict[str | None, str] = {}  # group: its code, in order of appearance
        named: dict[str | None, str | None] = {}  # stored answer: its group
        started: Counter[str | None] = Counter()
        completed: Counter[str | None] = Counter()
        kept = []
        for response in responses:
            if not response.counts:
                continue
            if response.stored not in named:
                named[response.stored] = group_of(response.stored)
            group = named[response.stored]
            groups.setdefault(group, "")
            started[group] += 1
            completed[group] += response.completed
            kept.append((response.id, group))
        width = 1
        while len(ALPHABET) ** width < len(groups):
            width += 1
        for place, group in enumerate(groups):
            groups[group] = _spelled(place, width)
        codes = bytearray(LEFT_OUT.encode() * ((last - first + 1) * width))
        for response_id, group in kept:
            at = (response_id - first) * width
            codes[at:at + width] = groups[group].encode()
        return cls(first=first, width=width, codes=bytes(codes), names={code: group for group, code in groups.items()},
                   started=started, completed=completed)

    def code(self) -> ColumnElement[Any]:
        """The SQL expression of an answer's group code: its response's characters in `codes`."""
        place = cast((SurveyAnswer.response_id - self.first) * self.width + 1, Integer)
        return func.substr(bindparam("group_codes", self.codes, type_=LargeBinary), place, self.width)

    def within(self) -> ColumnElement[bool]:
        """The answers whose response has a place in `codes` (all of the survey's)."""
        last = self.first + len(self.codes) // self.width - 1
        return SurveyAnswer.response_id.between(self.first, last)  # type: ignore[attr-defined]

    def count(self, connection: Connection, keys: Sequence[Any],
              *where: Any) -> dict[tuple[Any, ...], Counter[str | None]]:
        """Per value of `keys` over the answers `where` selects, how many fell in each group."""
        code = self.code()
        found: dict[tuple[Any, ...], Counter[str | None]] = {}
        if connection.dialect.name == "sqlite":  # grouped in index order, without sorting every answer by its code
            read = select(*keys, func.group_concat(code, "")).where(*where, self.within()).group_by(*keys)
            for *key, joined in connection.execute(read):
                found[tuple(key)] = self._named(Counter(self._split(_text(joined))))
            return found
        read = select(*keys, code, func.count()).where(*where, self.within()).group_by(*keys, code)
        for *key, spelled, n in connection.execute(read):
            named = self._named(Counter({_text(spelled): n}))
            found.setdefault(tuple(key), Counter()).update(named)
        return found

    def _split(self, joined: str) -> Iterable[str]:
        if self.width == 1:
            return joined
        return (joined[at:at + self.width] for at in range(0, len(joined), self.width))

    def group(self, code: str | bytes) -> tuple[bool, str | None]:
        """Whether a code stands for a group (not LEFT_OUT), and which."""
        spelled = _text(code)
        return spelled in self.names, self.names.get(spelled)

    def _named(self, codes: Counter[str]) -> Counter[str | None]:
        """Codes counted as groups, without those left out."""
        return Counter({self.names[code]: n for code, n in codes.items() if code in self.names})


def group_of(stored: str | None) -> str | None:
    """The group a stored answer to the splitting question puts a response in: the choice's code, None without one."""
    if stored is None:
        return None
    value = json.loads(stored)
    return None if value is None else str(value)


def _spelled(place: int, width: int) -> str:
    """The code of the group at `place`: `width` characters of ALPHABET."""
    letters = []
    for _ in range(width):
        place, digit = divmod(place, len(ALPHABET))
        letters.append(ALPHABET[digit])
    return "".join(reversed(letters))


def _text(code: str | bytes) -> str:
    return bytes(code).decode("ascii") if isinstance(code, bytes | memoryview) else code
