"""Serve one chat event end to end: load state, step the flow, save, return the replies.

Each event is one database transaction. The conversation row carries a version
(optimistic locking), and every Telegram update id is recorded in `handled_update` in
the same transaction, so two processes serving the same person, or one update delivered
twice, still apply every event exactly once: the loser of a race rolls back everything
it wrote and tries again on the fresh state, where it finds the update already handled.
"""

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import MappingProxyType
from typing import Any

from sqlalchemy import JSON, Engine, bindparam, delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from api.jobs import JOBS
from api.models import Barrio, Conversation, HandledUpdate, Member
from api.models.types import utcnow
from api.store.ballots import SqlBallots
from api.store.convocatorias import SqlConvocatorias
from api.store.directory import MEMBER_COLUMNS, SqlDirectory, member_view
from api.store.surveys import SqlSurveys
from api.store.upsert import per_dialect
from conversations import router
from conversations.context import Context
from conversations.events import Event
from conversations.i18n import negotiate
from conversations.ports import MemberView
from conversations.replies import Reply, keyboard_from_json, keyboard_to_json
from conversations.state import State

log = logging.getLogger(__name__)

ATTEMPTS = 5
KEEP_HANDLED = timedelta(days=2)  # Telegram gives up redelivering an update after a day
KEEP_REPLIES = timedelta(hours=1)  # long enough to restart after a crash; then forgotten
REDELIVERY_GRACE = timedelta(seconds=2)  # a twin of an update still being answered gets nothing


@dataclass(frozen=True)
class Address:
    """Who is talking, on which channel."""

    channel: str
    chat_id: str
    user_id: str


class Conflict(Exception):
    """Another writer changed the conversation first."""


# A context for one event: the session, who is talking, and their member if already read.
ContextFactory = Callable[[Session, Address, MemberView | None], Context]


class ChatService:
    def __init__(self, engine: Engine, make_context: ContextFactory, default_locale: str = "es"):
        self.engine = engine
        self.make_context = make_context
        self.default_locale = default_locale
        self._handled = _HANDLED[engine.dialect.name]
        # SQLite takes one writer at a time and an event is about 0.5 ms of Python: handing
        # each one to a thread only adds GIL handoffs (measured: 30% fewer updates/s), so on
        # SQLite events run on the event loop itself. PostgreSQL overlaps network waits on a
        # few threads: 4 handled 402 updates/s at 2.4 ms CPU each in bench/load.py, 16 only
        # 291 at 3.2 ms (more threads, more GIL contention); more load wants more processes.
        self.executor = None if engine.dialect.name == "sqlite" else ThreadPoolExecutor(4, "chat")

    async def handle_async(self, address: Address, event: Event, update_id: int | None = None) -> list[Reply]:
        """`handle` for the event loop: on the service's threads, or inline on SQLite."""
        if self.executor is None:
            return self.handle(address, event, update_id)
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.executor, self.handle, address, event, update_id)

    def handle(self, address: Address, event: Event, update_id: int | None = None) -> list[Reply]:
        """Apply one event; the replies to send (none for a duplicate update)."""
        for attempt in range(ATTEMPTS):
            try:
                return self._attempt(address, event, update_id)
            except (Conflict, IntegrityError):
                log.info("conversation %s changed concurrently (attempt %d)", address, attempt + 1)
        raise RuntimeError(f"conversation {address} kept changing; gave up after {ATTEMPTS} tries")

    def _attempt(self, address: Address, event: Event, update_id: int | None) -> list[Reply]:
        with Session(self.engine, expire_on_commit=False) as session:
            if update_id is not None and not _first_delivery(session, self._handled, address.channel, update_id):
                return _redelivered(session, address.channel, update_id)
            loaded = _load(session, address)
            if loaded is None:
                state, member = State(locale=negotiate(event.lang_hint, self.default_locale)), None
            else:
                state, member = loaded.state, loaded.member
            outcome = router.handle(state, event, self.make_context(session, address, member))
            _save(session, address, loaded, outcome.state, update_id)
            if update_id is not None and outcome.state.joined and outcome.replies:
                session.connection().execute(_KEEP_REPLIES, {
                    "k_channel": address.channel, "k_update_id": update_id, "v_chat_id": address.chat_id,
                    "v_replies": [_reply_to_json(reply) for reply in outcome.replies]})
            session.commit()
            return list(outcome.replies)


# The hot path's statements, built once: building SQLAlchemy expressions per call cost
# more CPU than running them (see bench/load.py and the README's performance section).
_KEY = (
    Conversation.channel == bindparam("k_channel"),  # type: ignore[arg-type]
    Conversation.chat_id == bindparam("k_chat_id"),  # type: ignore[arg-type]
    Conversation.user_id == bindparam("k_user_id"),  # type: ignore[arg-type]
)
_HANDLED = per_dialect(lambda insert: (
    insert(HandledUpdate)
    .values(channel=bindparam("channel"), update_id=bindparam("update_id"), handled_at=bindparam("at"))
    .on_conflict_do_nothing()
    .returning(HandledUpdate.update_id)  # type: ignore[arg-type]
))
# The conversation and, in the same statement, its member as the flows will need it.
_CONVERSATION_COLUMNS = (Conversation.version, Conversation.last_update_id, Conversation.locale,
                         Conversation.member_id, Conversation.step, Conversation.data)
_LOAD = (
    select(*_CONVERSATION_COLUMNS, *MEMBER_COLUMNS)
    .outerjoin(Member, Member.id == Conversation.member_id)  # type: ignore[arg-type]
    .outerjoin(Barrio, Barrio.id == Member.barrio_id)  # type: ignore[arg-type]
    .where(*_KEY)
)
_DELETE = delete(Conversation).where(*_KEY)
_UPDATE = (
    update(Conversation)
    .where(*_KEY, Conversation.version == bindparam("k_version"))  # type: ignore[arg-type]
    .values(
        version=bindparam("v_version"), member_id=bindparam("v_member_id"), locale=bindparam("v_locale"),
        step=bindparam("v_step"), data=bindparam("v_data", type_=JSON), updated_at=bindparam("v_updated_at"),
        last_update_id=bindparam("v_last_update_id"),
    )
)


_KEEP_REPLIES = (
    update(HandledUpdate)
    .where(HandledUpdate.channel == bindparam("k_channel"), HandledUpdate.update_id == bindparam("k_update_id"))  # type: ignore[arg-type]
    .values(chat_id=bindparam("v_chat_id"), replies=bindparam("v_replies", type_=JSON))
)


def _key(address: Address) -> dict[str, str]:
    return {"k_channel": address.channel, "k_chat_id": address.chat_id, "k_user_id": address.user_id}


def _first_delivery(session: Session, statement: Any, channel: str, update_id: int) -> bool:
    """Record the update as handled; False when it was already (a twin, or a redelivery).

    One INSERT .. ON CONFLICT DO NOTHING: duplicates are rare, so the common case costs one
    statement; a twin still in flight in another process makes it wait for that outcome.
    """
    inserted = session.connection().execute(statement, {"channel": channel, "update_id": update_id, "at": utcnow()})
    return inserted.first() is not None


def _redelivered(session: Session, channel: str, update_id: int) -> list[Reply]:
    """An update seen before: its replies again if they may never have gone out, else nothing.

    A twin delivered while the first is still being answered gets nothing; a redelivery
    after REDELIVERY_GRACE means the first answer never reached Telegram's acknowledgement
    (a crash, a timeout), so its replies are sent once more (at most one duplicate).
    """
    prior = session.get(HandledUpdate, (channel, update_id))
    if prior is None or not prior.replies or prior.handled_at > utcnow() - REDELIVERY_GRACE:
        return []
    replies = [_reply_from_json(reply) for reply in prior.replies]
    prior.replies = None  # a third delivery sends nothing
    session.add(prior)
    session.commit()
    return replies


def _reply_to_json(reply: Reply) -> dict[str, Any]:
    return {"text": reply.text, "replace": reply.replace, "buttons": keyboard_to_json(reply.buttons)}


def _reply_from_json(data: dict[str, Any]) -> Reply:
    return Reply(data["text"], keyboard_from_json(data["buttons"]), bool(data["replace"]))


@dataclass(frozen=True)
class _Loaded:
    """A stored conversation: its state, the version it was read at, and its member."""

    state: State
    version: int
    last_update_id: int | None
    member: MemberView | None


def _load(session: Session, address: Address) -> _Loaded | None:
    row = session.connection().execute(_LOAD, _key(address)).first()
    if row is None:
        return None
    conversation, member_columns = row[:len(_CONVERSATION_COLUMNS)], row[len(_CONVERSATION_COLUMNS):]
    version, last_update_id, locale, member_id, step, data = conversation
    member = member_view(member_columns) if member_columns[0] is not None else None  # no member row: None
    state = State(locale=locale, member_id=member_id, step=step, data=MappingProxyType(dict(data)))
    return _Loaded(state, version, last_update_id, member)


def _save(session: Session, address: Address, row: _Loaded | None, state: State,
          update_id: int | None) -> None:
    if state.forget or not state.joined:
        if row is not None:
            session.connection().execute(_DELETE, _key(address))
        return
    last_update_id = row.last_update_id if row else None
    if update_id is not None:
        last_update_id = max(update_id, last_update_id or 0)
    if row is None:
        session.add(Conversation(
            channel=address.channel, chat_id=address.chat_id, user_id=address.user_id, version=1,
            member_id=state.member_id, locale=state.locale, step=state.step, data=dict(state.data),
            last_update_id=last_update_id,
        ))
        session.flush()  # a concurrent first insert fails here with IntegrityError
        return
    result = session.connection().execute(_UPDATE, {
        **_key(address), "k_version": row.version, "v_version": row.version + 1,
        "v_member_id": state.member_id, "v_locale": state.locale, "v_step": state.step,
        "v_data": dict(state.data), "v_updated_at": utcnow(), "v_last_update_id": last_update_id,
    })
    if result.rowcount != 1:
        session.rollback()
        raise Conflict(address)


def prune_handled_updates(engine: Engine, now: datetime) -> None:
    """Forget kept replies after an hour, and update ids after Telegram's redelivery window."""
    with Session(engine) as session:
        session.execute(update(HandledUpdate).where(
            HandledUpdate.handled_at < now - KEEP_REPLIES, HandledUpdate.replies.is_not(None)  # type: ignore[arg-type,union-attr]
        ).values(replies=None, chat_id=None))
        session.execute(delete(HandledUpdate).where(HandledUpdate.handled_at < now - KEEP_HANDLED))  # type: ignore[arg-type]
        session.commit()


JOBS.append(prune_handled_updates)


def sql_context(bot_username: Callable[[], str], default_timezone: str) -> ContextFactory:
    """Contexts whose ports are backed by the SQL store."""

    def make(session: Session, address: Address, member: MemberView | None) -> Context:
        return Context(
            directory=SqlDirectory(session, channel=address.channel, chat_id=address.chat_id, known=member),
            now=utcnow(),
            bot_username=bot_username(),
            default_timezone=default_timezone,
            surveys=SqlSurveys(session),
            convocatorias=SqlConvocatorias(session),
            ballots=SqlBallots(session),
        )

    return make
