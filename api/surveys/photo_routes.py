"""The photos vecinos sent as answers to a survey: how many are stored, one photo, all of them in a ZIP."""

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Response, status
from fastapi.responses import FileResponse

from api.barrios.deps import ActingStaff, ExportDep
from api.kernel.channels import PhotoSource, Unavailable
from api.kernel.deps import EngineDep, SessionDep
from api.kernel.errors import ERROR_RESPONSES, NotFound
from api.kernel.exports import file_response
from api.privacy.log import exported
from api.surveys.models import SurveyPhotos
from api.surveys.photos import photo_answer, photo_count, photo_source, photos_zip, stored_photo
from api.surveys.routes import OwnedSurvey
from api.surveys.store import view

router = APIRouter(prefix="/api/surveys", tags=["surveys"], responses=ERROR_RESPONSES)


@router.get("/{survey_id}/photos", response_model=SurveyPhotos)
def survey_photos(survey: OwnedSurvey, session: SessionDep) -> SurveyPhotos:
    """How many photos the survey's answers hold: stored (in photos.zip) and not stored yet."""
    counted = photo_count(session, survey.id or 0)
    return SurveyPhotos(stored=counted.stored, pending=counted.pending)


@router.get("/{survey_id}/photos.zip", response_class=FileResponse,
            responses={200: {"content": {"application/zip": {}}}})
def survey_photos_zip(survey: OwnedSurvey, slot: ExportDep, session: SessionDep, engine: EngineDep,
                      by: ActingStaff) -> FileResponse:
    """Every stored photo of the survey, each named by the respondent's pseudonymous id and the question
    (as the exports' respondent column and photo links name them)."""
    exported(session, survey.barrio_id, f"survey {survey.id} photos.zip", by)
    return file_response(f"survey-{survey.id}-photos.zip", "application/zip", lambda: photos_zip(engine, survey), slot)


@router.get("/{survey_id}/photos/{respondent}/{question}", response_class=Response,
            responses={200: {"content": {"image/jpeg": {}}}})
def survey_photo(survey: OwnedSurvey, respondent: Annotated[str, Path(max_length=12)],
                 question: Annotated[str, Path(max_length=64)], session: SessionDep, by: ActingStaff,
                 source: Annotated[PhotoSource | None, Depends(photo_source)]) -> Response:
    """A photo a vecino sent as an answer (the export links each one here): its stored copy, or, while it is not
    copied yet, fetched from the chat channel now."""
    answer = photo_answer(session, survey, view(survey).form, respondent, question)
    if answer is None:
        raise NotFound(f"no photo of respondent {respondent} for {question!r} in survey {survey.id}")
    photo = stored_photo(session, answer)
    if photo is None:
        if source is None:
            raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE,
                                "this photo is not stored yet and the bot is off: try again when it runs")
        try:
            photo = source.fetch(answer.reference)
        except Unavailable:
            raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE,
                                "this photo is not stored yet and Telegram does not answer: try again later") from None
        if photo is None:
            raise NotFound(f"the photo of respondent {respondent} for {question!r} was not stored and Telegram "
                           "no longer has it")
    exported(session, survey.barrio_id, f"survey {survey.id} photo {question}", by)
    return Response(photo.content, media_type=photo.content_type)
