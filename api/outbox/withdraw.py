"""Taking back queued messages that no longer hold (a ballot or an assembly cancelled or moved).

Only rows still pending are withdrawn: a row being sent or sent reached (or is reaching) its
vecino, who is then among those `told` and gets the notice that corrects it.
"""

from collections.abc import Iterable

from sqlalchemy import delete
from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from api.outbox.models import PENDING, OutboxMessage


def withdraw(session: Session, *, kinds: Iterable[str], ref_id: int) -> set[str]:
    """Delete the still-pending rows of these kinds about `ref_id`; the members they were for."""
    kinds = tuple(kinds)
    rows = session.execute(
        delete(OutboxMessage).where(col(OutboxMessage.kind).in_(kinds), OutboxMessage.ref_id == ref_id,
                                    OutboxMessage.status == PENDING)
        .returning(OutboxMessage.member_id)
    ).scalars()
    return set(rows)


def told(session: Session, *, kinds: Iterable[str], ref_id: int) -> set[str]:
    """Members who have a row of these kinds about `ref_id` (sending, sent, failed or unreachable)."""
    return set(session.execute(
        sa_select(OutboxMessage.member_id).where(col(OutboxMessage.kind).in_(tuple(kinds)),
                                                 OutboxMessage.ref_id == ref_id)
    ).scalars())
