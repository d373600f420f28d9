"""Serve one chat event end to end: load state, step the flow, save, return the replies.

Each event is one database transaction. The conversation row carries a version
(optimistic locking) and the recent Telegram update ids, so two processes serving the
same person, or one update delivered twice, still apply every event exactly once: the
loser of a race rolls back everything it wrote and tries again on the fresh state.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from types import MappingProxyType

from sqlalchemy import Engine, delete, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from api.models import Conversation
from api.models.types import utcnow
from api.store.directory import SqlDirectory
from api.store.surveys import SqlSurveys
from conversations import router
from conversations.context import Context
from conversations.events import Event
from conversations.i18n import negotiate
from conversations.replies import Reply
from conversations.state import State

log = logging.getLogger(__name__)

RECENT_UPDATES = 32  # Telegram redelivers only recent updates; 32 ids is ample
ATTEMPTS = 5


@dataclass(frozen=True)
class Address:
    """Who is talking, on which channel."""

    channel: str
    chat_id: str
    user_id: str


class Conflict(Exception):
    """Another writer changed the conversation first."""


ContextFactory = Callable[[Session, Address], Context]


class ChatService:
    def __init__(self, engine: Engine, make_context: ContextFactory, default_locale: str = "es"):
        self.engine = engine
        self.make_context = make_context
        self.default_locale = default_locale

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
            key = (address.channel, address.chat_id, address.user_id)
            row = session.get(Conversation, key)
            if row is not None and update_id is not None and update_id in row.recent_update_ids:
                return []
            state = _to_state(row) if row else State(locale=negotiate(event.lang_hint, self.default_locale))
            outcome = router.handle(state, event, self.make_context(session, address))
            _save(session, address, row, outcome.state, update_id)
            session.commit()
            return list(outcome.replies)


def _to_state(row: Conversation) -> State:
    return State(
        locale=row.locale, member_id=row.member_id, step=row.step,
        data=MappingProxyType(dict(row.data)),
    )


def _save(session: Session, address: Address, row: Conversation | None, state: State,
          update_id: int | None) -> None:
    if state.forget or not state.joined:
        if row is not None:
            session.execute(delete(Conversation).where(
                Conversation.channel == address.channel,  # type: ignore[arg-type]
                Conversation.chat_id == address.chat_id,  # type: ignore[arg-type]
                Conversation.user_id == address.user_id,  # type: ignore[arg-type]
            ))
        return
    recent = ([*row.recent_update_ids, update_id] if row else [update_id]) if update_id else None
    values = {
        "member_id": state.member_id, "locale": state.locale, "step": state.step,
        "data": dict(state.data), "updated_at": utcnow(),
    }
    if recent is not None:
        values["recent_update_ids"] = recent[-RECENT_UPDATES:]
        values["last_update_id"] = max(update_id or 0, (row.last_update_id or 0) if row else 0)
    if row is None:
        session.add(Conversation(channel=address.channel, chat_id=address.chat_id,
                                 user_id=address.user_id, version=1, **values))
        session.flush()  # a concurrent first insert fails here with IntegrityError
        return
    result = session.execute(
        update(Conversation)
        .where(
            Conversation.channel == address.channel,  # type: ignore[arg-type]
            Conversation.chat_id == address.chat_id,  # type: ignore[arg-type]
            Conversation.user_id == address.user_id,  # type: ignore[arg-type]
            Conversation.version == row.version,  # type: ignore[arg-type]
        )
        .values(version=row.version + 1, **values)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        session.rollback()
        raise Conflict(address)


def sql_context(bot_username: Callable[[], str], default_timezone: str) -> ContextFactory:
    """Contexts whose ports are backed by the SQL store."""

    def make(session: Session, address: Address) -> Context:
        return Context(
            directory=SqlDirectory(session, channel=address.channel, chat_id=address.chat_id),
            now=utcnow(),
            bot_username=bot_username(),
            default_timezone=default_timezone,
            surveys=SqlSurveys(session),
        )

    return make
