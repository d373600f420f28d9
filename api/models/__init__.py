"""SQLModel tables and API schemas; importing this package registers every table."""

from api.models.ballot import Ballot, BallotVote, BallotVoter, Iniciativa
from api.models.barrio import Barrio, Ejecutor
from api.models.convocatoria import Convocatoria, Rsvp, SendPace
from api.models.member import Conversation, HandledUpdate, Member
from api.models.outbox import OutboxMessage

__all__ = [
    "Ballot", "BallotVote", "BallotVoter", "Barrio", "Conversation", "Convocatoria", "Ejecutor", "HandledUpdate",
    "Iniciativa", "Member", "OutboxMessage", "Rsvp", "SendPace",
]
