"""Enqueue messages for vecinos of a barrio, rendered in each one's language.

Features call `enqueue(...)` inside their own transaction; the sender (a separate
concern) delivers pending rows at Telegram's pace. Enqueuing the same (kind, ref_id)
twice for a member is a no-op, so a retried or duplicated request sends once — also when
two processes enqueue at the same moment (a periodic job runs in every process): the
rows are inserted with ON CONFLICT DO NOTHING on that unique key.
"""

from collections.abc import Callable, Iterable
from datetime import datetime

from sqlalchemy import select as sa_select
from sqlmodel import Session, select

from api.barrios.models import Barrio, Member
from api.kernel.types import utcnow
from api.kernel.upsert import dialect_of, per_dialect
from api.outbox.models import PENDING, OutboxMessage
from conversations.kernel.i18n import Translator
from conversations.kernel.replies import Reply, keyboard_to_json

Render = Callable[[Translator, Member], Reply | None]

_INSERT_ONCE = per_dialect(lambda insert: insert(OutboxMessage).on_conflict_do_nothing(
    index_elements=["kind", "ref_id", "member_id"]))


def recipients(session: Session, barrio_id: int) -> list[Member]:
    """Members of the barrio who want messages and can be reached."""
    return list(session.exec(
        select(Member).where(Member.barrio_id == barrio_id, Member.subscribed, Member.reachable)
        .order_by(Member.joined_at)  # type: ignore[arg-type]
    ).all())


def enqueue(session: Session, *, barrio: Barrio, kind: str, ref_id: int, render: Render,
            members: Iterable[Member] | None = None, not_before: datetime | None = None) -> int:
    """Queue one message per member (default: every reachable subscriber); returns how many were new.

    `render` gets a translator in the member's language and the barrio's time zone and
    returns the reply for that member, or None to skip them.
    """
    assert barrio.id is not None
    already = set(session.execute(
        sa_select(OutboxMessage.member_id).where(
            OutboxMessage.kind == kind, OutboxMessage.ref_id == ref_id,  # type: ignore[arg-type]
        )
    ).scalars())
    translators: dict[str, Translator] = {}
    now = utcnow()
    rows = []
    for member in recipients(session, barrio.id) if members is None else members:
        if member.id in already:
            continue
        t = translators.setdefault(member.locale, Translator(member.locale, barrio.timezone))
        reply = render(t, member)
        if reply is None:
            continue
        rows.append({
            "barrio_id": barrio.id, "member_id": member.id, "kind": kind, "ref_id": ref_id,
            "channel": member.channel, "chat_id": member.chat_id, "text": reply.text,
            "buttons": keyboard_to_json(reply.buttons), "status": PENDING, "attempts": 0,
            "not_before": not_before or now, "created_at": now,
        })
    if rows:
        session.flush()
        session.connection().execute(_INSERT_ONCE[dialect_of(session)], rows)
    return len(rows)
