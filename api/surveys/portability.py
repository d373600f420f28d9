"""A vecino's survey answers for their data download: each answer with its survey and question,
worded in their language (Ley 21.719, portability)."""

from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from api.surveys.models import Survey, SurveyAnswer, SurveyResponse
from api.surveys.store import view
from conversations.kernel.i18n import Translator
from conversations.kernel.members import Record
from conversations.surveys.form import Question


def export_answers(session: Session, member_id: str, t: Translator) -> list[Record]:
    rows = session.execute(
        select(Survey, SurveyAnswer.question, SurveyAnswer.value, SurveyAnswer.answered_at)
        .join(SurveyResponse, SurveyResponse.survey_id == Survey.id)  # type: ignore[arg-type]
        .join(SurveyAnswer, SurveyAnswer.response_id == SurveyResponse.id)  # type: ignore[arg-type]
        .where(SurveyResponse.member_id == member_id, SurveyAnswer.value.is_not(None))  # type: ignore[arg-type,union-attr]
        .order_by(SurveyResponse.id, SurveyAnswer.answered_at)
    ).all()
    records = []
    for survey, name, value, at in rows:
        form = view(survey).form
        question = next((q for q in form.questions if q.name == name), None)
        label = form.text(question.label, t.locale) if question else name
        records.append(Record(topic=form.text(form.title, t.locale), item=label,
                              value=_readable(question, value, t.locale, form.default_language), code=value, at=at))
    return records


def _readable(question: Question | None, value: Any, locale: str, default: str) -> str:
    if question is None or not question.choices:
        return str(value)
    codes = value if isinstance(value, list) else [value]
    return ", ".join(question.choice_label(str(code), locale, default) for code in codes)
