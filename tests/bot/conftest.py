"""The Telegram bot under test: the real Application against the fake Bot API."""

from collections.abc import AsyncIterator

import pytest
import respx
from sqlalchemy import Engine

from bot.application import TelegramChannel, build_application
from tests.factories import chat_service
from tests.fakes.telegram import BASE_URL, BOT_USERNAME, TOKEN, FakeBotApi, Harness


@pytest.fixture
async def telegram(engine: Engine) -> AsyncIterator[Harness]:
    fake = FakeBotApi()
    with respx.mock(assert_all_called=False, using="httpx") as router:
        fake.install(router)
        service = chat_service(engine, BOT_USERNAME)
        application = build_application(token=TOKEN, api_url=BASE_URL, channel=TelegramChannel(service), webhook=True)
        await application.initialize()
        yield Harness(application, fake)
        await application.shutdown()
