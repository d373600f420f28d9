"""Enqueue messages for vecinos of a barrio, rendered in each one's language.

Features call `enqueue(...)` inside their own transaction; the sender (a separate
concern) delivers pending rows at Telegram's pace. Enqueuing the same (kind, ref_id)
twice for a member is a no-op, so a retried or duplicated request sends once — also when
two processes enqueue at the same moment (a periodic job runs in every process): the
rows are inserted with ON CONFLICT DO NOTHING on that unique key.
"""

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Engine
from sqlalchemy import select as sa_select
from sqlmodel import Session, select

from api.barrios.models import Barrio, Member
from api.kernel.db import session_scope
from api.kernel.types import utcnow
from api.kernel.upsert import dialect_of, per_dialect
from api.outbox.models import PENDING, OutboxMessage
from conversations.kernel.i18n import Translator
from conversations.kernel.replies import Reply, keyboard_to_json

Render = Callable[[Translator, Member], Reply | None]
RenderForAll = Callable[[Translator], Reply]  # the same message for everyone, in their language
BATCH = 500  # rows per transaction when queuing in batches: a few ms of the SQLite writer each

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
    already = _queued(session, kind, ref_id)
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
        rows.append(_row(barrio, member, kind, ref_id, reply, not_before or now, now))
    if rows:
        session.flush()
        session.connection().execute(_INSERT_ONCE[dialect_of(session)], rows)
    return len(rows)


def enqueue_in_batches(engine: Engine, *, barrio_id: int, kind: str, ref_id: int, render: Render,
                       members: Callable[[Session], Iterable[Member]] | None = None, batch: int = BATCH) -> int:
    """Queue one message per member (default: every reachable subscriber), `batch` rows per transaction;
    how many were new.

    For the large sends (a ballot's opening and results to 20,000 members): one transaction
    for all would hold SQLite's only writer, and so every chat update, for seconds. The
    members are read and the messages rendered (`render`, as for `enqueue`; see
    `same_for_all`) before any is written. Safe to repeat or to run in two processes at once:
    rows already queued are skipped, so a send cut short by a crash is completed by running it again.
    """
    with Session(engine) as session:
        barrio = session.get(Barrio, barrio_id)
        assert barrio is not None
        already = _queued(session, kind, ref_id)
        chosen = [m for m in (recipients(session, barrio_id) if members is None else members(session))
                  if m.id not in already]
        session.expunge_all()
    translators: dict[str, Translator] = {}
    now = utcnow()
    rows = []
    for member in chosen:
        reply = render(translators.setdefault(member.locale, Translator(member.locale, barrio.timezone)), member)
        if reply is not None:
            rows.append(_row(barrio, member, kind, ref_id, reply, now, now))
    for start in range(0, len(rows), batch):
        with session_scope(engine) as session:
            session.connection().execute(_INSERT_ONCE[dialect_of(session)], rows[start:start + batch])
    return len(rows)


def same_for_all(render: RenderForAll) -> Render:
    """A `Render` giving everyone the same message in their language, rendered once per language."""
    made: dict[str, Reply] = {}

    def rendered(t: Translator, _member: Member) -> Reply:
        if t.locale not in made:
            made[t.locale] = render(t)
        return made[t.locale]

    return rendered


def _queued(session: Session, kind: str, ref_id: int) -> set[str]:
    """Members who already have this message queued (or sent)."""
    return set(session.execute(
        sa_select(OutboxMessage.member_id).where(
            OutboxMessage.kind == kind, OutboxMessage.ref_id == ref_id,  # type: ignore[arg-type]
        )
    ).scalars())


def _row(barrio: Barrio, member: Member, kind: str, ref_id: int, reply: Reply, not_before: datetime,
         now: datetime) -> dict[str, Any]:
    return {
        "barrio_id": barrio.id, "member_id": member.id, "kind": kind, "ref_id": ref_id,
        "channel": member.channel, "chat_id": member.chat_id, "text": reply.text,
        "buttons": keyboard_to_json(reply.buttons), "status": PENDING, "attempts": 0,
        "not_before": not_before, "created_at": now,
    }
