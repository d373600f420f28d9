"""The rows every chat event reads and writes: its update id, the conversation, the kept replies.

An event starts by recording its Telegram update id (a second delivery finds it there)
and reading the person's conversation, locked for the event; it ends by saving the new
state, keeping the replies for a redelivery, and committing. `event_rows(engine)` gives
the way each database does that best: SQLAlchemy statements here, and on PostgreSQL the
same statements in two pipelined round trips (api/chat/rows_pg.py).
"""

import base64
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from sqlalchemy import JSON, Engine, bindparam, delete, select, update
from sqlmodel import Session

from api.barrios.directory import MEMBER_COLUMNS, member_view
from api.barrios.models import Barrio, Member
from api.chat.models import Conversation, HandledUpdate
from api.kernel.db import forget_on_disk
from api.kernel.types import utcnow
from api.kernel.upsert import per_dialect
from conversations.kernel.members import MemberView
from conversations.kernel.replies import Document, Reply, keyboard_from_json, keyboard_to_json
from conversations.kernel.state import State


@dataclass(frozen=True)
class Address:
    """Who is talking, on which channel."""

    channel: str
    chat_id: str
    user_id: str


class Retry(Exception):
    """The event's transaction failed in a way a fresh try can mend (a race, a lost connection)."""


class Conflict(Retry):
    """Another writer changed the conversation first."""


@dataclass(frozen=True)
class Loaded:
    """A stored conversation: its state, the version it was read at, and its member."""

    state: State
    version: int
    last_update_id: int | None
    member: MemberView | None


# Built once: building SQLAlchemy expressions per call costs more CPU than running them.
_KEY = (
    Conversation.channel == bindparam("k_channel"),  # type: ignore[arg-type]
    Conversation.chat_id == bindparam("k_chat_id"),  # type: ignore[arg-type]
    Conversation.user_id == bindparam("k_user_id"),  # type: ignore[arg-type]
)
HANDLED = per_dialect(lambda insert: (
    insert(HandledUpdate)
    .values(channel=bindparam("channel"), update_id=bindparam("update_id"), handled_at=bindparam("at"))
    .on_conflict_do_nothing()
    .returning(HandledUpdate.update_id)  # type: ignore[arg-type]
))
# The conversation and, in the same statement, its member as the flows will need it. The
# row stays locked until the event commits (PostgreSQL; SQLite has one writer anyway),
# so another process serving the same person waits instead of redoing the work.
_CONVERSATION_COLUMNS = (Conversation.version, Conversation.last_update_id, Conversation.locale,
                         Conversation.member_id, Conversation.step, Conversation.data)
LOAD = (
    select(*_CONVERSATION_COLUMNS, *MEMBER_COLUMNS)
    .outerjoin(Member, Member.id == Conversation.member_id)  # type: ignore[arg-type]
    .outerjoin(Barrio, Barrio.id == Member.barrio_id)  # type: ignore[arg-type]
    .where(*_KEY)
    .with_for_update(of=Conversation)  # type: ignore[arg-type]
)
_DELETE = delete(Conversation).where(*_KEY)
UPDATE = (
    update(Conversation)
    .where(*_KEY, Conversation.version == bindparam("k_version"))  # type: ignore[arg-type]
    .values(
        version=bindparam("v_version"), member_id=bindparam("v_member_id"), locale=bindparam("v_locale"),
        step=bindparam("v_step"), data=bindparam("v_data", type_=JSON), updated_at=bindparam("v_updated_at"),
        last_update_id=bindparam("v_last_update_id"),
    )
)
KEEP_REPLIES = (
    update(HandledUpdate)
    .where(HandledUpdate.channel == bindparam("k_channel"), HandledUpdate.update_id == bindparam("k_update_id"))  # type: ignore[arg-type]
    .values(chat_id=bindparam("v_chat_id"), replies=bindparam("v_replies", type_=JSON))
)


class EventRows:
    """The event's rows through SQLAlchemy, on the session's connection."""

    def __init__(self, engine: Engine) -> None:
        self._handled = HANDLED[engine.dialect.name]

    def start(self, session: Session, address: Address, update_id: int | None) -> tuple[bool, Loaded | None]:
        """Record the update; (False, None) when it was already (a twin, or a redelivery),
        else (True, the stored conversation or None).

        One INSERT .. ON CONFLICT DO NOTHING: duplicates are rare, so the common case costs one
        statement; a twin still in flight in another process makes it wait for that outcome.
        """
        connection = session.connection()
        if update_id is not None:
            inserted = connection.execute(self._handled, handled_values(address, update_id))
            if inserted.first() is None:
                return False, None
        row = connection.execute(LOAD, key(address)).first()
        return True, loaded(row) if row is not None else None

    def finish(self, session: Session, address: Address, row: Loaded | None, state: State,
               update_id: int | None, replies: list[Reply]) -> None:
        """Save the conversation, keep the replies of an update, commit."""
        connection = session.connection()
        if state.forget or not state.joined:
            if row is not None:
                connection.execute(_DELETE, key(address))
        elif row is None:
            session.add(Conversation(
                channel=address.channel, chat_id=address.chat_id, user_id=address.user_id, version=1,
                member_id=state.member_id, locale=state.locale, step=state.step, data=dict(state.data),
                last_update_id=update_id,
            ))
            session.flush()  # a concurrent first insert fails here with IntegrityError
        elif connection.execute(UPDATE, update_values(address, row, state, update_id)).rowcount != 1:
            session.rollback()
            raise Conflict(address)
        if keeps_replies(state, update_id, replies):
            connection.execute(KEEP_REPLIES, kept_values(address, update_id, replies))
        session.commit()
        if state.forget:  # a person deleted: no copy of their rows left in the write-ahead log
            forget_on_disk(session.get_bind())  # type: ignore[arg-type]


def event_rows(engine: Engine) -> EventRows:
    """The best way this engine's database has to read and write an event's rows."""
    if engine.dialect.name == "postgresql":
        from api.chat.rows_pg import PipelinedEventRows

        return PipelinedEventRows(engine)
    return EventRows(engine)


def key(address: Address) -> dict[str, str]:
    return {"k_channel": address.channel, "k_chat_id": address.chat_id, "k_user_id": address.user_id}


def handled_values(address: Address, update_id: int) -> dict[str, Any]:
    return {"channel": address.channel, "update_id": update_id, "at": utcnow()}


def loaded(row: Any) -> Loaded:
    """A Loaded from a row of LOAD."""
    conversation, member_columns = row[:len(_CONVERSATION_COLUMNS)], row[len(_CONVERSATION_COLUMNS):]
    version, last_update_id, locale, member_id, step, data = conversation
    member = member_view(member_columns) if member_columns[0] is not None else None  # no member row: None
    state = State(locale=locale, member_id=member_id, step=step, data=MappingProxyType(dict(data)))
    return Loaded(state, version, last_update_id, member)


def update_values(address: Address, row: Loaded, state: State, update_id: int | None) -> dict[str, Any]:
    last_update_id = row.last_update_id
    if update_id is not None:
        last_update_id = max(update_id, last_update_id or 0)
    return {
        **key(address), "k_version": row.version, "v_version": row.version + 1,
        "v_member_id": state.member_id, "v_locale": state.locale, "v_step": state.step,
        "v_data": dict(state.data), "v_updated_at": utcnow(), "v_last_update_id": last_update_id,
    }


def keeps_replies(state: State, update_id: int | None, replies: list[Reply]) -> bool:
    """Replies are kept for a redelivery only after consent (before it, nothing about the chat is stored)."""
    return update_id is not None and state.joined and not state.forget and bool(replies)


def kept_values(address: Address, update_id: int | None, replies: list[Reply]) -> dict[str, Any]:
    return {"k_channel": address.channel, "k_update_id": update_id, "v_chat_id": address.chat_id,
            "v_replies": [reply_to_json(reply) for reply in replies]}


def reply_to_json(reply: Reply) -> dict[str, Any]:
    kept = {"text": reply.text, "replace": reply.replace, "buttons": keyboard_to_json(reply.buttons)}
    if reply.document is not None:  # rare (a data download): a few kilobytes, kept an hour like any reply
        kept["document"] = {"filename": reply.document.filename,
                            "content": base64.b64encode(reply.document.content).decode()}
    return kept


def reply_from_json(data: dict[str, Any]) -> Reply:
    document = data.get("document")
    attached = Document(document["filename"], base64.b64decode(document["content"])) if document else None
    return Reply(data["text"], keyboard_from_json(data["buttons"]), bool(data["replace"]), attached)
