"""Serve one chat event end to end: load state, step the flow, save, return the replies.

Each event is one database transaction (its rows: api/chat/rows.py). It
records the Telegram update id in `handled_update` and reads the person's conversation
locked until it commits, so two processes serving the same person take turns, and an
update delivered twice finds its id already there and counts once. The conversation
also carries a version checked on save: the loser of any race the lock does not cover
rolls back everything it wrote and tries again on the fresh state.
"""

import asyncio
import logging
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, delete, update
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlmodel import Session

from api.barrios.directory import RecordCounters, RecordExporters, SqlDirectory
from api.chat.models import HandledUpdate
from api.chat.rows import Address, Retry, event_rows, reply_from_json
from api.kernel.feature import PortFactory
from api.kernel.green import run_green
from api.kernel.metrics import Metrics
from api.kernel.types import utcnow
from conversations.kernel.context import Context, Port
from conversations.kernel.events import Event
from conversations.kernel.i18n import negotiate
from conversations.kernel.members import MemberView
from conversations.kernel.replies import Reply
from conversations.kernel.router import Chat
from conversations.kernel.state import State

__all__ = ["Address", "ChatService", "ContextFactory", "sql_context"]

log = logging.getLogger(__name__)

ATTEMPTS = 5
# PostgreSQL events in flight per process, below the pool size in api/db.py (bench/load.py: 4 -> 373
# updates/s, 16 -> 416 when measured).
GREEN_EVENTS = 16
KEEP_HANDLED = timedelta(days=2)  # Telegram gives up redelivering an update after a day
KEEP_REPLIES = timedelta(hours=1)  # long enough to restart after a crash; then forgotten
REDELIVERY_GRACE = timedelta(seconds=2)  # a twin of an update still being answered gets nothing


# A context for one event: the session, who is talking, and their member if already read.
ContextFactory = Callable[[Session, Address, MemberView | None], Context]


class ChatService:
    def __init__(self, engine: Engine, make_context: ContextFactory, default_locale: str = "es",
                 metrics: Metrics | None = None):
        self.engine = engine
        self.make_context = make_context
        self.default_locale = default_locale
        self.metrics = metrics or Metrics()
        self.rows = event_rows(engine)
        # SQLite takes one writer at a time and an event is about 0.5 ms of Python, so events
        # run on the event loop itself. On PostgreSQL they run there too, in greenlets whose
        # database waits give the loop to other updates (api/kernel/green.py); never more of them at
        # once than the connection pool can serve with room left for the API's threads.
        self._green = None if engine.dialect.name == "sqlite" else asyncio.Semaphore(GREEN_EVENTS)

    async def handle_async(self, address: Address, event: Event, update_id: int | None = None) -> list[Reply]:
        """`handle` for the event loop."""
        if self._green is None:
            return self.handle(address, event, update_id)
        async with self._green:
            return await run_green(self.handle, address, event, update_id)

    def handle(self, address: Address, event: Event, update_id: int | None = None) -> list[Reply]:
        """Apply one event; the replies to send (none for a duplicate update).

        Counted and logged with its update id and the member's pseudonym: never the chat id
        or what was written.
        """
        started = time.perf_counter()
        outcome, member = "failed", None
        try:
            for attempt in range(ATTEMPTS):
                try:
                    replies, member, first = self._attempt(address, event, update_id)
                    outcome = "ok" if first else "duplicate"
                    return replies
                except (Retry, DBAPIError) as error:
                    if isinstance(error, DBAPIError) and not _retried(error):
                        raise
                    self.metrics.retries.inc()
                    log.info("update %s: %s, trying again (attempt %d)", update_id, type(error).__name__, attempt + 1,
                             extra={"update_id": update_id})
            raise RuntimeError(f"update {update_id}: the conversation kept changing; gave up after {ATTEMPTS} tries")
        finally:
            elapsed = time.perf_counter() - started
            self.metrics.updates.labels(event.kind, outcome).inc()
            self.metrics.event_seconds.observe(elapsed)
            log.info("chat event %s %s", event.kind, outcome, extra={
                "update_id": update_id, "member": member, "kind": str(event.kind), "outcome": outcome,
                "ms": round(elapsed * 1000, 2)})

    def _attempt(self, address: Address, event: Event, update_id: int | None) -> tuple[list[Reply], str | None, bool]:
        """(replies, the member's pseudonym if known, whether this was the update's first delivery)."""
        with Session(self.engine, expire_on_commit=False) as session:
            first, loaded = self.rows.start(session, address, update_id)
            if not first:
                assert update_id is not None
                return _redelivered(session, address, update_id), None, False
            if loaded is None:
                state, member = State(locale=negotiate(event.lang_hint, self.default_locale)), None
            else:
                state, member = loaded.state, loaded.member
            ctx = self.make_context(session, address, member)
            outcome = ctx.chat.handle(state, event, ctx)
            replies = list(outcome.replies)
            self.rows.finish(session, address, loaded, outcome.state, update_id, replies)
            return replies, outcome.state.member_id or (member.id if member else None), True


def _retried(error: DBAPIError) -> bool:
    """A broken constraint (a race on a first insert) or a connection lost mid-event."""
    return isinstance(error, IntegrityError) or error.connection_invalidated


def _redelivered(session: Session, address: Address, update_id: int) -> list[Reply]:
    """An update seen before: its replies again if they may never have gone out, else nothing.

    A twin delivered while the first is still being answered gets nothing; a redelivery
    after REDELIVERY_GRACE means the first answer never reached Telegram's acknowledgement
    (a crash, a timeout), so its replies are sent once more (at most one duplicate), and
    only to the chat they were for: an update id arriving from another chat gets nothing.
    """
    prior = session.get(HandledUpdate, (address.channel, update_id))
    if (prior is None or not prior.replies or prior.chat_id != address.chat_id
            or prior.handled_at > utcnow() - REDELIVERY_GRACE):
        return []
    replies = [reply_from_json(reply) for reply in prior.replies]
    prior.replies = None  # a third delivery sends nothing
    session.add(prior)
    session.commit()
    return replies


def prune_handled_updates(engine: Engine, now: datetime) -> None:
    """Forget kept replies after an hour, and update ids after Telegram's redelivery window."""
    with Session(engine) as session:
        session.execute(update(HandledUpdate).where(
            HandledUpdate.handled_at < now - KEEP_REPLIES, HandledUpdate.replies.is_not(None)  # type: ignore[arg-type,union-attr]
        ).values(replies=None, chat_id=None))
        session.execute(delete(HandledUpdate).where(HandledUpdate.handled_at < now - KEEP_HANDLED))  # type: ignore[arg-type]
        session.commit()



def sql_context(chat: Chat, *, ports: Mapping[Port[Any], PortFactory], records: RecordCounters,
                bot_username: Callable[[], str], default_timezone: str, exports: RecordExporters | None = None,
                retention_months: int = 6, max_photo_mb: float = 10.0,
                forgets: Sequence[Callable[[str], None]] = ()) -> ContextFactory:
    """Contexts for `chat`'s flows whose ports are the features' SQL stores, bound to the event's session."""
    def make(session: Session, address: Address, member: MemberView | None) -> Context:
        return Context(
            directory=SqlDirectory(session, channel=address.channel, chat_id=address.chat_id, known=member,
                                   records=records, exports=exports, retention_months=retention_months,
                                   forgets=forgets),
            now=utcnow(),
            bot_username=bot_username(),
            chat=chat,
            ports={key: factory(session, member) for key, factory in ports.items()},
            default_timezone=default_timezone,
            max_photo_mb=max_photo_mb,
        )

    return make
