"""Surveys: what the feature contributes to the process (the composition root lists it)."""

from api.kernel.feature import Feature, PersonalData
from api.surveys.demo import seed_diagnostico
from api.surveys.models import SurveyAnswer, SurveyPhoto, SurveyResponse
from api.surveys.photo_copies import photo_copier
from api.surveys.photo_routes import router as photo_router
from api.surveys.photos import count_photos
from api.surveys.portability import export_answers, export_photos
from api.surveys.routes import router
from api.surveys.store import KEPT, SqlSurveys, count_answers
from conversations.surveys.flow import FLOW
from conversations.surveys.ports import SURVEYS

FEATURE = Feature(
    name="surveys",
    flows=(FLOW,),
    ports={SURVEYS: lambda session, member: SqlSurveys(session, member.id if member else None)},
    routers=(router, photo_router),
    channel_jobs=(photo_copier,),  # the photos vecinos sent, copied from Telegram into the database
    personal_data=(PersonalData("answers", (SurveyResponse, SurveyAnswer), count_answers, export_answers,
                                KEPT.drop_member),
                   PersonalData("photos", (SurveyPhoto,), count_photos, export_photos)),
    demo=(seed_diagnostico,),
)
