"""SQLModel tables and API schemas; importing this package registers every table."""

from api.models.barrio import Barrio, Ejecutor
from api.models.member import Conversation, HandledUpdate, Member
from api.models.outbox import OutboxMessage

__all__ = ["Barrio", "Conversation", "Ejecutor", "HandledUpdate", "Member", "OutboxMessage"]
