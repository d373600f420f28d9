"""Photos vecinos sent as answers, downloaded by the ejecutor: one at a time, or all of a survey in a ZIP.

The chat stores the channel's reference to a photo (Telegram's file_id) as the answer, and the
photo job (api/surveys/photo_copies.py) copies its bytes into `survey_photo`. A download serves
the stored bytes; only a photo not copied yet is fetched from the channel at that moment, through
the `PhotoSource` the composition root wires (bot/files.py for Telegram). Exports link each photo
to `photo_path`, which the ejecutor opens with its own credentials.
"""

import os
import tempfile
import zipfile
from dataclasses import dataclass
from urllib.parse import quote

from fastapi import Request
from sqlalchemy import Engine, func, select
from sqlmodel import Session

from api.barrios.models import Member
from api.kernel.channels import Fetched, PhotoSource
from api.surveys.models import Survey, SurveyAnswer, SurveyPhoto, SurveyResponse
from api.surveys.rows import respondent_id
from conversations.surveys.form import Form
from conversations.surveys.questions import split_key

EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp", "image/gif": "gif"}


@dataclass(frozen=True)
class PhotoAnswer:
    response_id: int
    question: str  # the answer's key
    reference: str  # the channel's reference, as the answer holds it


def photo_source(request: Request) -> PhotoSource | None:
    """The channel the photos are fetched from; None when no chat channel that takes photos runs."""
    return getattr(request.app.state, "photos", None)


def photo_path(survey_id: int, respondent: str, question: str) -> str:
    """Where the ejecutor downloads a photo answer; `question` is the answer's key ("foto", "foto#2")."""
    return f"/api/surveys/{survey_id}/photos/{respondent}/{quote(question, safe='')}"


def photo_answer(session: Session, survey: Survey, form: Form, respondent: str, question: str) -> PhotoAnswer | None:
    """One respondent's photo answer at `question` (its key: "foto#2" inside a repeat), if there is one."""
    found = form.question(split_key(question)[0])
    if found is None or found.type != "image":
        return None
    rows = session.execute(
        select(SurveyResponse.id, SurveyResponse.member_id, SurveyAnswer.value)
        .join(SurveyAnswer, SurveyAnswer.response_id == SurveyResponse.id)  # type: ignore[arg-type]
        .where(SurveyResponse.survey_id == survey.id, SurveyAnswer.question == question)  # type: ignore[arg-type]
    ).all()
    return next((PhotoAnswer(response_id, question, str(value)) for response_id, member_id, value in rows
                 if value and respondent_id(survey.salt, member_id) == respondent), None)


def stored_photo(session: Session, answer: PhotoAnswer) -> Fetched | None:
    """The copied bytes of the photo the answer holds now; None while it is not copied."""
    row = session.execute(
        select(SurveyPhoto.content, SurveyPhoto.content_type).where(
            SurveyPhoto.response_id == answer.response_id, SurveyPhoto.question == answer.question,  # type: ignore[arg-type]
            SurveyPhoto.reference == answer.reference, SurveyPhoto.fetched_at.is_not(None))  # type: ignore[arg-type,union-attr]
    ).first()
    if row is None or row.content is None:
        return None
    return Fetched(row.content, row.content_type or "application/octet-stream")


def count_photos(session: Session, member_id: str) -> int:
    """The photos kept of a vecino (for /misdatos)."""
    return session.execute(select(func.count()).select_from(SurveyPhoto).where(
        SurveyPhoto.member_id == member_id)).scalar_one()  # type: ignore[arg-type]


@dataclass(frozen=True)
class PhotoCount:
    stored: int  # copied: in the ZIP
    pending: int  # not copied yet (or given up): left out of the ZIP


def photo_count(session: Session, survey_id: int) -> PhotoCount:
    """How many photos of the survey's counted respondents are stored, and how many are not (yet)."""
    rows = session.execute(
        select(SurveyPhoto.fetched_at.is_not(None))  # type: ignore[union-attr]
        .join(Member, Member.id == SurveyPhoto.member_id)  # type: ignore[arg-type]
        .where(SurveyPhoto.survey_id == survey_id, Member.withheld.is_(False))  # type: ignore[arg-type,attr-defined]
    ).scalars().all()
    return PhotoCount(stored=sum(rows), pending=len(rows) - sum(rows))


def photos_zip(engine: Engine, survey: Survey) -> str:
    """A ZIP of the survey's stored photos, one file per answer named by respondent and question
    ("3f2a9c0d1e4b_foto.jpg", "3f2a9c0d1e4b_foto-2.jpg" in a repeat's second instance); its path.
    Members who withheld their answers are left out, as from every export."""
    handle, path = tempfile.mkstemp(suffix=".zip")
    os.close(handle)
    query = (
        select(SurveyPhoto.member_id, SurveyPhoto.question, SurveyPhoto.content_type, SurveyPhoto.content)
        .join(Member, Member.id == SurveyPhoto.member_id)  # type: ignore[arg-type]
        .where(SurveyPhoto.survey_id == survey.id, SurveyPhoto.fetched_at.is_not(None),  # type: ignore[arg-type,union-attr]
               Member.withheld.is_(False))  # type: ignore[attr-defined]
        .order_by(SurveyPhoto.id)
    )
    try:
        with engine.connect() as connection, zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
            for member_id, key, content_type, content in connection.execution_options(
                    stream_results=True, yield_per=20).execute(query):
                name, instance = split_key(key)
                shown = f"{name}-{instance}" if instance else name
                extension = EXTENSIONS.get(content_type or "", "bin")
                archive.writestr(f"{respondent_id(survey.salt, member_id)}_{shown}.{extension}", content)
    except BaseException:
        os.unlink(path)
        raise
    return path
