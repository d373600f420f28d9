"""Every response of a survey with its answers, streamed from the database in id order.

Used by both exports: rows come from a server-side cursor in batches, so memory stays
flat whatever the number of responses. Responses of members who asked that their answers
not be used (opposition: `member.withheld`) are left out, and a `Window` keeps only the
responses started between two days (the results count in SQL under the same conditions).
"""

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Engine, and_, not_, select

from api.barrios.models import Member
from api.surveys.models import SurveyAnswer, SurveyResponse

BATCH = 2000


@dataclass
class ResponseRow:
    respondent: str
    started_at: datetime
    completed_at: datetime | None
    answers: dict[str, Any]
    consent: bool | None = None  # to the sensitive questions: None not asked, False declined


@dataclass(frozen=True)
class Window:
    """Which responses count: those started from `since` (inclusive) until `until` (exclusive), in UTC."""

    since: datetime | None = None
    until: datetime | None = None

    @classmethod
    def days(cls, first: date | None, last: date | None, timezone: str) -> "Window":
        """From the start of day `first` to the end of day `last` in the barrio's time zone (either may be open)."""
        zone = ZoneInfo(timezone)
        return cls(since=datetime.combine(first, time(), zone) if first else None,
                   until=datetime.combine(last + timedelta(days=1), time(), zone) if last else None)

    def conditions(self, survey_id: int) -> list[ColumnElement[bool]]:
        """The WHERE of a survey's counted responses: this window, members who did not withhold their answers."""
        return [SurveyResponse.survey_id == survey_id, *self._kept()]  # type: ignore[list-item]

    def left_out(self, survey_id: int) -> list[ColumnElement[bool]]:
        """The WHERE of the survey's other responses (with `conditions`, every response of the survey once)."""
        return [SurveyResponse.survey_id == survey_id, not_(and_(*self._kept()))]  # type: ignore[list-item]

    def _kept(self) -> list[ColumnElement[bool]]:
        found = [Member.withheld.is_(False)]  # type: ignore[attr-defined]
        if self.since is not None:
            found.append(SurveyResponse.started_at >= self.since)  # type: ignore[arg-type,operator]
        if self.until is not None:
            found.append(SurveyResponse.started_at < self.until)  # type: ignore[arg-type,operator]
        return found  # type: ignore[return-value]


def respondent_id(salt: str, member_id: str) -> str:
    """Pseudonymous and per survey: the same vecino gets unrelated ids in two surveys."""
    return hashlib.sha256(f"{salt}:{member_id}".encode()).hexdigest()[:12]


def responses(engine: Engine, survey_id: int, salt: str, window: Window = Window()) -> Iterator[ResponseRow]:
    """Responses in id order, each with its answers (two cursors walked side by side)."""
    where = window.conditions(survey_id)
    heads = (
        select(SurveyResponse.id, SurveyResponse.member_id, SurveyResponse.started_at, SurveyResponse.completed_at,
               SurveyResponse.sensitive_consent)
        .join(Member, Member.id == SurveyResponse.member_id)  # type: ignore[arg-type]
        .where(*where)
        .order_by(SurveyResponse.id)
    )
    bodies = (
        select(SurveyAnswer.response_id, SurveyAnswer.question, SurveyAnswer.value)
        .join(SurveyResponse, SurveyResponse.id == SurveyAnswer.response_id)  # type: ignore[arg-type]
        .join(Member, Member.id == SurveyResponse.member_id)  # type: ignore[arg-type]
        .where(*where)
        .order_by(SurveyAnswer.response_id)
    )
    with engine.connect() as first, engine.connect() as second:
        streamed = {"stream_results": True, "yield_per": BATCH}
        answers = iter(second.execution_options(**streamed).execute(bodies))
        pending = next(answers, None)
        for response_id, member_id, started, completed, consent in first.execution_options(**streamed).execute(heads):
            row = ResponseRow(respondent_id(salt, member_id), started, completed, {}, consent)
            while pending is not None and pending[0] <= response_id:
                if pending[0] == response_id:
                    row.answers[pending[1]] = pending[2]
                pending = next(answers, None)
            yield row
