"""SQLModel tables and API schemas; importing this package registers every table."""

from api.models.barrio import Barrio, Ejecutor
from api.models.member import Conversation, Member
from api.models.outbox import OutboxMessage
from api.models.survey import Survey, SurveyAnswer, SurveyResponse

__all__ = ["Barrio", "Conversation", "Ejecutor", "Member", "OutboxMessage", "Survey", "SurveyAnswer", "SurveyResponse"]
