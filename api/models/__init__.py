"""SQLModel tables and API schemas; importing this package registers every table."""

from api.models.barrio import Barrio, Ejecutor
from api.models.convocatoria import Convocatoria, Rsvp, SendPace
from api.models.member import Conversation, Member
from api.models.outbox import OutboxMessage

__all__ = ["Barrio", "Conversation", "Convocatoria", "Ejecutor", "Member", "OutboxMessage", "Rsvp", "SendPace"]
