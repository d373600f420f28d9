"""Photos vecinos sent as answers, downloaded by the ejecutor.

The chat keeps only the channel's reference to a photo (Telegram's file_id), never its
bytes: the ejecutor's download fetches them from the channel at that moment, through the
`PhotoSource` the composition root wires (bot/files.py for Telegram). Exports link each
photo to `photo_path`, which the ejecutor opens with its own credentials.
"""

from typing import Protocol

from fastapi import Request
from sqlmodel import Session, select

from api.surveys.models import Survey, SurveyAnswer, SurveyResponse
from api.surveys.rows import respondent_id
from conversations.surveys.form import Form


class PhotoSource(Protocol):
    def fetch(self, reference: str) -> bytes | None:
        """The photo's bytes, or None when the channel no longer has it (or it is too large)."""
        ...


def photo_source(request: Request) -> PhotoSource | None:
    """The channel the photos are fetched from; None when no chat channel that takes photos runs."""
    return getattr(request.app.state, "photos", None)


def photo_path(survey_id: int, respondent: str, question: str) -> str:
    return f"/api/surveys/{survey_id}/photos/{respondent}/{question}"


def photo_reference(session: Session, survey: Survey, form: Form, respondent: str, question: str) -> str | None:
    """The stored reference of one respondent's photo answer, if there is one."""
    found = form.question(question)
    if found is None or found.type != "image":
        return None
    rows = session.exec(
        select(SurveyResponse.member_id, SurveyAnswer.value)
        .join(SurveyAnswer, SurveyAnswer.response_id == SurveyResponse.id)  # type: ignore[arg-type]
        .where(SurveyResponse.survey_id == survey.id, SurveyAnswer.question == question)
    ).all()
    return next((str(value) for member_id, value in rows
                 if value and respondent_id(survey.salt, member_id) == respondent), None)
