"""On PostgreSQL, chat events wait for the database on the event loop (api/kernel/green.py):
one that waits holds up nobody else, and no thread is involved."""

import asyncio
import threading

import pytest
from sqlalchemy import Engine, text

from api.chat.service import Address
from conversations.kernel.events import Event
from tests.factories import VECINA, chat_service, join

OTRA = Address("telegram", "88", "88")


async def test_an_event_waiting_for_the_database_holds_up_no_other(engine: Engine, joined_on_postgres: str) -> None:
    chat = chat_service(engine)
    join(chat, joined_on_postgres, first_update=10, address=OTRA)
    with engine.connect() as other:  # another process holds her conversation
        other.execute(text("SELECT version FROM conversation WHERE chat_id = :chat FOR UPDATE"),
                      {"chat": VECINA.chat_id})
        safety = threading.Timer(10, other.rollback)  # if the loop were blocked, free it and fail below
        safety.start()
        threads = threading.active_count()
        waiting = asyncio.ensure_future(chat.handle_async(VECINA, Event.button("lang:en"), 20))
        await asyncio.sleep(0.2)
        served = await asyncio.wait_for(chat.handle_async(OTRA, Event.button("lang:ht"), 21), 5)
        assert served and not waiting.done() and safety.is_alive()
        assert threading.active_count() == threads  # no worker thread
        other.rollback()
        safety.cancel()
    replies = await asyncio.wait_for(waiting, 5)
    assert replies and "English" in replies[0].text


@pytest.mark.usefixtures("joined_on_postgres")
async def test_a_cancelled_event_rolls_back_and_leaves_the_pool_usable(engine: Engine) -> None:
    """A server shutting down cancels what is in flight: nothing half-stored, no broken connection."""
    chat = chat_service(engine)
    with engine.connect() as other:
        other.execute(text("SELECT version FROM conversation FOR UPDATE"))
        waiting = asyncio.ensure_future(chat.handle_async(VECINA, Event.button("lang:en"), 30))
        await asyncio.sleep(0.2)
        waiting.cancel()
        await asyncio.sleep(0.1)  # the event unwinds as far as it can without the server
        other.rollback()
    with pytest.raises(asyncio.CancelledError):
        await asyncio.wait_for(waiting, 5)
    with engine.connect() as check:
        assert check.execute(text("SELECT count(*) FROM handled_update WHERE update_id = 30")).scalar() == 0
        assert check.execute(text("SELECT locale FROM conversation")).scalar() == "es"
    for update_id in range(31, 56):  # more events than the pool keeps: every connection it hands out works
        assert await chat.handle_async(VECINA, Event.button("lang:ht"), update_id)
