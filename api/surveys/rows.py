"""Every response of a survey with its answers, streamed from the database in id order.

Used by the results and both exports: rows come from a server-side cursor in batches,
so memory stays flat whatever the number of responses. Responses of members who asked
that their answers not be used (opposition: `member.withheld`) are left out.
"""

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, select

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


def respondent_id(salt: str, member_id: str) -> str:
    """Pseudonymous and per survey: the same vecino gets unrelated ids in two surveys."""
    return hashlib.sha256(f"{salt}:{member_id}".encode()).hexdigest()[:12]


def responses(engine: Engine, survey_id: int, salt: str) -> Iterator[ResponseRow]:
    """Responses in id order, each with its answers (two cursors walked side by side)."""
    heads = (
        select(SurveyResponse.id, SurveyResponse.member_id, SurveyResponse.started_at, SurveyResponse.completed_at,
               SurveyResponse.sensitive_consent)
        .join(Member, Member.id == SurveyResponse.member_id)  # type: ignore[arg-type]
        .where(SurveyResponse.survey_id == survey_id, Member.withheld.is_(False))  # type: ignore[arg-type,attr-defined]
        .order_by(SurveyResponse.id)
    )
    bodies = (
        select(SurveyAnswer.response_id, SurveyAnswer.question, SurveyAnswer.value)
        .join(SurveyResponse, SurveyResponse.id == SurveyAnswer.response_id)  # type: ignore[arg-type]
        .join(Member, Member.id == SurveyResponse.member_id)  # type: ignore[arg-type]
        .where(SurveyResponse.survey_id == survey_id, Member.withheld.is_(False))  # type: ignore[arg-type,attr-defined]
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
