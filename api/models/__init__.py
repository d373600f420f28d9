"""SQLModel tables and API schemas; importing this package registers every table."""

from api.models.ballot import Ballot, BallotVote, BallotVoter, Iniciativa
from api.models.barrio import Barrio, Ejecutor
from api.models.convocatoria import Convocatoria, Rsvp, SendPace
from api.models.member import Conversation, HandledUpdate, Member
from api.models.outbox import OutboxMessage
from api.models.survey import Survey, SurveyAnswer, SurveyResponse

__all__ = [
    "Ballot", "BallotVote", "BallotVoter", "Barrio", "Conversation", "Convocatoria", "Ejecutor", "HandledUpdate",
    "Iniciativa", "Member", "OutboxMessage", "Rsvp", "SendPace", "Survey", "SurveyAnswer", "SurveyResponse",
]
