"""The Telegram bot under test: the real Application against the fake Bot API."""

from collections.abc import AsyncIterator

import pytest
import respx
from sqlalchemy import Engine

from api.chat.service import ChatService, sql_context
from bot.application import build_application
from tests.telegram import BASE_URL, BOT_USERNAME, TOKEN, FakeBotApi, Harness


@pytest.fixture
async def telegram(engine: Engine) -> AsyncIterator[Harness]:
    fake = FakeBotApi()
    with respx.mock(assert_all_called=False, using="httpx") as router:
        fake.install(router)
        service = ChatService(engine, sql_context(lambda: BOT_USERNAME, "America/Santiago"))
        application = build_application(token=TOKEN, api_url=BASE_URL, service=service, webhook=True)
        await application.initialize()
        yield Harness(application, fake)
        await application.shutdown()
