"""The group of every response when a survey's results are split by a question, handed to the database as codes.

Joining each of 200,000 answers to its response's answer to the splitting question costs an
index lookup per answer, and grouping by that answer a sort of them all on SQLite (0.2 to
0.5 s on the bench, README's performance section). Instead, the answers to the splitting
question are read once (one per response, from the results' index) and each response's group
written as a code at its id's place in a byte string; the counting queries read an answer's
group at its response's place in that string (`substr` of a BLOB or bytea: constant time, no
lookup), so the answers are still counted from ix_survey_answer_results alone, in one pass.
SQLite groups them in index order as unsplit and concatenates the codes of each group
(`group_concat`, counted here; a GROUP BY the code would sort every answer); PostgreSQL adds
the code to its GROUP BY (a hash aggregate).

The responses that do not count (withheld, outside the window: usually few) get the code
LEFT_OUT, which counts for no group.
"""

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Integer,
    LargeBinary,
    Text,
    bindparam,
    cast,
    func,
    select,
)

from api.barrios.models import Member
from api.surveys.models import SurveyAnswer, SurveyResponse
from api.surveys.rows import Window

ALPHABET = "".join(map(chr, range(ord("0"), ord("~") + 1)))  # one character per group while there are at most 79
LEFT_OUT = "-"


@dataclass
class Groups:
    """Each response's group as a code at its place (its id less the first id, times `width`) in `codes`."""

    first: int
    width: int
    codes: bytes
    names: dict[str, str | None]  # code: its group (the choice's code; None for the responses without an answer)
    blob: Any = field(init=False)  # `codes` as one parameter, however often a statement reads it

    def __post_init__(self) -> None:
        self.blob = bindparam("group_codes", self.codes, type_=LargeBinary)

    @classmethod
    def read(cls, connection: Connection, survey_id: int, window: Window, by: str) -> "Groups | None":
        """The groups of the survey's responses by their answer to `by`; None without responses."""
        first, last = connection.execute(select(func.min(SurveyResponse.id), func.max(SurveyResponse.id))
                                         .where(SurveyResponse.survey_id == survey_id)).one()  # type: ignore[arg-type]
        if first is None:
            return None
        answers = connection.execute(select(SurveyAnswer.response_id, cast(SurveyAnswer.value, Text))
                                     .where(SurveyAnswer.survey_id == survey_id,  # type: ignore[arg-type]
                                            SurveyAnswer.question == by)).all()  # type: ignore[arg-type]
        left_out = connection.execute(
            select(SurveyResponse.id)
            .select_from(SurveyResponse.__table__.join(Member, Member.id == SurveyResponse.member_id))  # type: ignore[attr-defined]
            .where(*window.left_out(survey_id))).scalars().all()
        named: dict[str | None, str | None] = {None: None}  # stored answer: its group
        for _, stored in answers:
            if stored not in named:
                named[stored] = group_of(stored)
        groups = list(dict.fromkeys(named.values()))  # None first
        width = 1
        while len(ALPHABET) ** width < len(groups):
            width += 1
        spelled = {group: _spelled(place, width).encode() for place, group in enumerate(groups)}
        codes = bytearray(spelled[None] * (last - first + 1))
        for response_id, stored in answers:
            at = (response_id - first) * width
            codes[at:at + width] = spelled[named[stored]]
        for response_id in left_out:
            at = (response_id - first) * width
            codes[at:at + width] = LEFT_OUT.encode() * width
        return cls(first=first, width=width, codes=bytes(codes),
                   names={code.decode(): group for group, code in spelled.items()})

    def code(self, response_id: Any = SurveyAnswer.response_id) -> ColumnElement[Any]:
        """The SQL expression of a response's group code (an answer's, by default): its characters in `codes`."""
        place = cast((response_id - self.first) * self.width + 1, Integer)
        return func.substr(self.blob, place, self.width)

    def of(self, group: str | None, response_id: Any) -> ColumnElement[bool]:
        """Whether the response is in this group."""
        spelled = next(code for code, named in self.names.items() if named == group)
        return self.code(response_id) == bindparam(None, spelled.encode(), type_=LargeBinary)

    def within(self, response_id: Any = SurveyAnswer.response_id) -> ColumnElement[bool]:
        """The responses (answers, by default) that have a place in `codes`: all of the survey's."""
        return response_id.between(self.first, self.first + len(self.codes) // self.width - 1)  # type: ignore[no-any-return]

    def count(self, connection: Connection, keys: list[Any], *where: Any, source: Any = SurveyAnswer,
              response_id: Any = SurveyAnswer.response_id) -> dict[tuple[Any, ...], Counter[str | None]]:
        """Per value of `keys` over the rows of `source` that `where` selects, how many fell in each group."""
        code, chosen = self.code(response_id), select(*keys).select_from(source).where(*where, self.within(response_id))
        found: dict[tuple[Any, ...], Counter[str | None]] = {}
        if connection.dialect.name == "sqlite":  # grouped in index order, without sorting every answer by its code
            for *key, joined in connection.execute(chosen.add_columns(func.group_concat(code, "")).group_by(*keys)):
                codes = Counter(joined if self.width == 1 else
                                (joined[at:at + self.width] for at in range(0, len(joined), self.width)))
                found[tuple(key)] = Counter({self.names[c]: n for c, n in codes.items() if c in self.names})
            return found
        for *key, spelled, n in connection.execute(chosen.add_columns(code, func.count()).group_by(*keys, code)):
            counted, group = self.group(spelled)
            if counted:
                found.setdefault(tuple(key), Counter())[group] += n
        return found

    def group(self, code: str | bytes) -> tuple[bool, str | None]:
        """Whether a code stands for a group (not LEFT_OUT), and which."""
        spelled = _text(code)
        return spelled in self.names, self.names.get(spelled)


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


def _text(code: str | bytes | memoryview) -> str:
    return bytes(code).decode("ascii") if isinstance(code, bytes | memoryview) else code
