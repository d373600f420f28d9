"""A vecino's survey answers for their data download: each answer with its survey and question,
worded in their language (Ley 21.719, portability), and their choice about each survey's
sensitive questions. An answer inside a repeat names its instance ("Persona 2 · ¿Edad?")."""

from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from api.surveys.models import Survey, SurveyAnswer, SurveyPhoto, SurveyResponse
from api.surveys.store import view
from conversations.kernel.i18n import Translator
from conversations.kernel.members import Record
from conversations.surveys.form import Form
from conversations.surveys.questions import Question, split_key
from conversations.surveys.texts import consent_record, instance_title


def export_answers(session: Session, member_id: str, t: Translator) -> list[Record]:
    rows = session.execute(
        select(Survey, SurveyAnswer.question, SurveyAnswer.value, SurveyAnswer.answered_at)
        .join(SurveyResponse, SurveyResponse.survey_id == Survey.id)  # type: ignore[arg-type]
        .join(SurveyAnswer, SurveyAnswer.response_id == SurveyResponse.id)  # type: ignore[arg-type]
        .where(SurveyResponse.member_id == member_id, SurveyAnswer.value.is_not(None))  # type: ignore[arg-type,union-attr]
        .order_by(SurveyResponse.id, SurveyAnswer.answered_at)
    ).all()
    records = []
    for survey, key, value, at in rows:
        form = view(survey).form
        question = form.question(split_key(key)[0])
        if question is not None and question.type == "repeat":
            continue  # "add another?": the instances listed say it
        records.append(Record(topic=form.text(form.title, t.locale), item=_label(form, key, t),
                              value=_readable(question, value, t.locale, form.default_language), code=value, at=at))
    return records + _consents(session, member_id, t)


def export_photos(session: Session, member_id: str, t: Translator) -> list[Record]:
    """The photos kept of the vecino: which question each answers, and whether its copy is stored."""
    rows = session.execute(
        select(Survey, SurveyPhoto.question, SurveyPhoto.size, SurveyPhoto.fetched_at, SurveyPhoto.created_at)
        .join(SurveyPhoto, SurveyPhoto.survey_id == Survey.id)  # type: ignore[arg-type]
        .where(SurveyPhoto.member_id == member_id).order_by(SurveyPhoto.id)  # type: ignore[arg-type]
    ).all()
    records = []
    for survey, key, size, fetched_at, created_at in rows:
        form = view(survey).form
        records.append(Record(
            topic=form.text(form.title, t.locale), item=_label(form, key, t),
            value=t._("Foto guardada ({kb} kB)", kb=t.number(round(size / 1000))) if fetched_at and size
            else t._("Foto recibida, aún no guardada"),
            code=size if fetched_at else None, at=created_at))
    return records


def _label(form: Form, key: str, t: Translator) -> str:
    """The question of an answer's key in the vecino's language ("Persona 2 · ¿Edad?" inside a repeat)."""
    name, instance = split_key(key)
    question = form.question(name)
    label = form.text(question.label, t.locale) if question else key
    if question is not None and instance:
        label = f"{instance_title(t, form, question.repeat, instance)} · {label}"
    return label


def _consents(session: Session, member_id: str, t: Translator) -> list[Record]:
    """Whether the vecino accepted or declined each survey's sensitive questions."""
    rows = session.execute(
        select(Survey, SurveyResponse.sensitive_consent)
        .join(SurveyResponse, SurveyResponse.survey_id == Survey.id)  # type: ignore[arg-type]
        .where(SurveyResponse.member_id == member_id, SurveyResponse.sensitive_consent.is_not(None))  # type: ignore[union-attr]
        .order_by(SurveyResponse.id)
    ).all()
    records = []
    for survey, consent in rows:
        form = view(survey).form
        item, value = consent_record(t, form.topics(t.locale), consent)
        records.append(Record(topic=form.text(form.title, t.locale), item=item, value=value,
                              code="yes" if consent else "no"))
    return records


def _readable(question: Question | None, value: Any, locale: str, default: str) -> str:
    if question is None or not question.choices:
        return str(value)
    codes = value if isinstance(value, list) else [value]
    return ", ".join(question.choice_label(str(code), locale, default) for code in codes)
