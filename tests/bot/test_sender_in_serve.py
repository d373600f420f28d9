"""`serve` with a bot token sends the outbox in the background of its own event loop."""

import asyncio

import respx
from sqlalchemy import Engine
from sqlmodel import Session

from api.barrios.models import Member
from api.kernel.config import Settings
from api.outbox.enqueue import enqueue
from bot.main import build_app
from conversations.kernel.replies import Reply
from tests.factories import make_barrio, make_ejecutor
from tests.fakes.telegram import BASE_URL, TOKEN, FakeBotApi


async def test_lifespan_starts_the_sender_and_queued_messages_arrive(engine: Engine, session: Session) -> None:
    settings = Settings(_env_file=None, database_url="sqlite://", telegram_bot_token=TOKEN,  # type: ignore[call-arg]
                        telegram_api_url=BASE_URL, webhook_url="https://bot.example", webhook_secret="s3cret",
                        jobs_interval_seconds=3600)
    barrio = make_barrio(session, make_ejecutor(session)[0])
    session.add(Member(id="v0001", barrio_id=barrio.id or 0, channel="telegram", chat_id="4242", locale="en"))
    session.commit()
    fake = FakeBotApi()
    with respx.mock(assert_all_called=False, using="httpx") as router:
        fake.install(router)
        app = build_app(settings, engine)
        async with app.router.lifespan_context(app):
            enqueue(session, barrio=barrio, kind="announcement", ref_id=7, render=lambda t, m: Reply(t._("Sí, salir")))
            session.commit()
            for _ in range(50):
                if fake.texts(4242):
                    break
                await asyncio.sleep(0.1)
    assert fake.texts(4242) == ["Yes, leave"]
