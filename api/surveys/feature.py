"""Surveys: what the feature contributes to the process (the composition root lists it)."""

from api.kernel.feature import Feature, PersonalData
from api.surveys.demo import seed_diagnostico
from api.surveys.models import SurveyAnswer, SurveyResponse
from api.surveys.portability import export_answers
from api.surveys.routes import router
from api.surveys.store import SqlSurveys, count_answers
from conversations.surveys.flow import FLOW
from conversations.surveys.ports import SURVEYS

FEATURE = Feature(
    name="surveys",
    flows=(FLOW,),
    ports={SURVEYS: lambda session, member: SqlSurveys(session, member.id if member else None)},
    routers=(router,),
    personal_data=(PersonalData("answers", (SurveyResponse, SurveyAnswer), count_answers, export_answers),),
    demo=(seed_diagnostico,),
)
