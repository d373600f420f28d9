"""The rows every chat event touches, the way each database does it (api/chat/rows*.py).

On PostgreSQL an event locks its conversation from the start, so a second process serving
the same person waits its turn; a connection lost mid-event is dropped from the pool and
the event tried again on a new one, still counted once.
"""

import threading
import time

import pytest
from sqlalchemy import Engine, text
from sqlmodel import Session, select

from api.chat.models import Conversation, HandledUpdate
from conversations.kernel.events import Event
from tests.factories import VECINA, chat_service

LOCK_WAITER = text("SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                   "AND query LIKE '%FROM conversation%' AND pid <> :gone")


def _waiting_backend(engine: Engine, gone: int = 0, timeout: float = 10.0) -> int:
    """The server process of the event that waits for the conversation's lock (not `gone`)."""
    deadline = time.monotonic() + timeout
    with engine.connect() as connection:
        while time.monotonic() < deadline:
            pid = connection.execute(LOCK_WAITER, {"gone": gone}).scalar()
            connection.rollback()  # the statistics views are read once per transaction
            if pid is not None:
                return int(pid)
            time.sleep(0.02)
    raise AssertionError("no event waited for the conversation's lock")


@pytest.mark.usefixtures("joined_on_postgres")
def test_an_event_waits_while_another_process_holds_the_conversation(engine: Engine, session: Session) -> None:
    replies: list[str] = []
    with engine.connect() as other:  # another process, in the middle of an event for her
        other.execute(text("SELECT version FROM conversation FOR UPDATE"))
        worker = threading.Thread(target=lambda: replies.extend(
            r.text for r in chat_service(engine).handle(VECINA, Event.button("lang:en"), 60)))
        worker.start()
        _waiting_backend(engine)
        assert worker.is_alive() and not replies
        other.rollback()
    worker.join(10)
    assert replies and "English" in replies[0]
    session.expire_all()
    assert session.exec(select(Conversation)).one().version == 2  # created at consent, then this one


@pytest.mark.usefixtures("joined_on_postgres")
def test_a_connection_lost_mid_event_is_replaced_and_the_event_counts_once(engine: Engine, session: Session) -> None:
    replies: list[str] = []
    with engine.connect() as other:
        other.execute(text("SELECT version FROM conversation FOR UPDATE"))
        worker = threading.Thread(target=lambda: replies.extend(
            r.text for r in chat_service(engine).handle(VECINA, Event.button("lang:en"), 61)))
        worker.start()
        victim = _waiting_backend(engine)
        other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": victim})
        _waiting_backend(engine, gone=victim)  # the event tried again, on a new connection
        assert worker.is_alive()
        other.rollback()
    worker.join(10)
    assert replies and "English" in replies[0]
    session.expire_all()
    assert session.exec(select(Conversation)).one().version == 2
    assert session.exec(select(HandledUpdate).where(HandledUpdate.update_id == 61)).one().replies


@pytest.mark.usefixtures("joined_on_postgres")
def test_pooled_connections_the_server_hung_up_on_are_replaced(engine: Engine, session: Session) -> None:
    """A PostgreSQL restart ends every backend: the next event and API read get new connections."""
    session.close()
    with engine.connect() as admin:
        pooled = admin.execute(text("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                                    " AND pid <> pg_backend_pid()")).scalar()
        admin.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                           " WHERE datname = current_database() AND pid <> pg_backend_pid()"))
    assert pooled
    time.sleep(0.2)  # the backends exit
    with engine.connect() as connection:  # what an ejecutor's request does: no second try
        assert connection.execute(text("SELECT count(*) FROM conversation")).scalar() == 1
    replies = chat_service(engine).handle(VECINA, Event.button("lang:en"), 62)
    assert replies and "English" in replies[0].text
