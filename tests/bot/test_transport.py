"""The Bot API transport over real HTTP (respx mocks above it, so these use a local server)."""

from api.outbox.sender import Message
from bench.fake_telegram import FakeTelegramServer
from bench.processes import free_port
from bot.sender import outbox_bot, telegram_deliver


async def test_requests_go_out_and_the_bot_works_again_after_a_shutdown() -> None:
    with FakeTelegramServer(free_port()) as fake:
        bot = outbox_bot("1:TRANSPORT", fake.url)
        for round_ in range(2):  # PTB may shut a bot down and initialize it again
            async with bot:
                await bot.send_message(42, f"hola {round_}")
        assert fake.recorder.sent["42"] == ["hola 0", "hola 1"]


async def test_an_unreachable_bot_api_pauses_the_outbox_without_spending_a_try() -> None:
    bot = outbox_bot("1:TRANSPORT", f"http://127.0.0.1:{free_port()}")  # nothing listens there
    await bot.request.initialize()
    try:
        outcome = await telegram_deliver(bot)(Message(1, "v1", "telegram", "42", "hola", [], 0))
    finally:
        await bot.request.shutdown()
    assert outcome.kind == "retry_after" and "unreachable" in outcome.error
