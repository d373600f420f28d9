"""Messages queued for one chat, taken all at once: how a channel without a push (the console)
delivers what the outbox holds for its person — convocatorias, reminders, results — when
it is open, or the next time it starts. The Telegram sender never claims these rows: it
sends only its own channel's.
"""

from sqlalchemy import Engine, select, update
from sqlmodel import Session

from api.kernel.types import utcnow
from api.outbox.models import PENDING, SENDING, SENT, OutboxMessage
from conversations.kernel.replies import Reply, keyboard_from_json


def take_pending(engine: Engine, *, channel: str, chat_id: str) -> list[Reply]:
    """Every message waiting for this chat, in order, marked sent as it is taken (one transaction)."""
    waiting = (OutboxMessage.channel == channel, OutboxMessage.chat_id == chat_id,
               OutboxMessage.status.in_((PENDING, SENDING)))  # type: ignore[attr-defined]
    with Session(engine) as session:
        rows = session.execute(
            select(OutboxMessage.id, OutboxMessage.text, OutboxMessage.buttons).where(*waiting)
            .order_by(OutboxMessage.id).with_for_update()  # type: ignore[arg-type]
        ).all()
        if not rows:
            return []
        session.execute(update(OutboxMessage).where(OutboxMessage.id.in_([r.id for r in rows]))  # type: ignore[union-attr]
                        .values(status=SENT, sent_at=utcnow()))
        session.commit()
    return [Reply(r.text, keyboard_from_json(r.buttons)) for r in rows]
