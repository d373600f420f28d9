"""The outbox: messages waiting to go out are a person's data too, and go with /borrar."""

from api.kernel.feature import Feature, PersonalData
from api.outbox.models import OutboxMessage

FEATURE = Feature(name="outbox", personal_data=(PersonalData("outbox", (OutboxMessage,)),))
