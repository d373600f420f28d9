"""Every response of a survey with its answers, streamed from the database in id order.

Used by the results and both exports: rows come from a server-side cursor in batches,
so memory stays flat whatever the number of responses.
"""

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, select

from api.models import SurveyAnswer, SurveyResponse

BATCH = 2000


@dataclass
class ResponseRow:
    respondent: str
    started_at: datetime
    completed_at: datetime | None
    answers: dict[str, Any]


def respondent_id(salt: str, member_id: str) -> str:
    """Pseudonymous and per survey: the same vecino gets unrelated ids in two surveys."""
    return hashlib.sha256(f"{salt}:{member_id}".encode()).hexdigest()[:12]


def responses(engine: Engine, survey_id: int, salt: str) -> Iterator[ResponseRow]:
    query = (
        select(SurveyResponse.id, SurveyResponse.member_id, SurveyResponse.started_at,
               SurveyResponse.completed_at, SurveyAnswer.question, SurveyAnswer.value)
        .outerjoin(SurveyAnswer, SurveyAnswer.response_id == SurveyResponse.id)  # type: ignore[arg-type]
        .where(SurveyResponse.survey_id == survey_id)  # type: ignore[arg-type]
        .order_by(SurveyResponse.id)
    )
    with engine.connect() as connection:
        result = connection.execution_options(stream_results=True, yield_per=BATCH).execute(query)
        current: ResponseRow | None = None
        current_id = None
        for response_id, member_id, started, completed, question, value in result:
            if response_id != current_id:
                if current is not None:
                    yield current
                current_id = response_id
                current = ResponseRow(respondent_id(salt, member_id), started, completed, {})
            if question is not None:
                current.answers[question] = value  # type: ignore[union-attr]
        if current is not None:
            yield current
