"""Long-polling mode (no WEBHOOK_URL): the app's lifespan polls the Bot API and answers."""

import asyncio
import json
import time
from urllib.parse import parse_qs

import httpx
import respx
from sqlalchemy import Engine

from api.kernel.config import Settings
from bot.main import build_app
from tests.fakes.telegram import BASE_URL, TOKEN, FakeBotApi


async def test_polling_mode_gets_updates_and_answers(engine: Engine) -> None:
    settings = Settings(_env_file=None, telegram_bot_token=TOKEN, telegram_api_url=BASE_URL)  # type: ignore[call-arg]
    fake = FakeBotApi()
    pending = [{"update_id": 500, "message": {
        "message_id": 1, "date": int(time.time()), "text": "/start", "chat": {"id": 77, "type": "private"},
        "from": {"id": 77, "is_bot": False, "first_name": "Ana", "language_code": "es"},
        "entities": [{"type": "bot_command", "offset": 0, "length": 6}]}}]

    def get_updates(request: httpx.Request) -> httpx.Response:
        body = request.content.decode()
        params = json.loads(body) if body.startswith("{") else {k: v[0] for k, v in parse_qs(body).items()}
        offset = int(params.get("offset") or 0)
        return httpx.Response(200, json={"ok": True, "result": [u for u in pending if u["update_id"] >= offset]})

    with respx.mock(assert_all_called=False, using="httpx") as router:
        router.post(url__regex=r".*/getUpdates$").mock(side_effect=get_updates)
        fake.install(router)
        app = build_app(settings, engine)
        async with app.router.lifespan_context(app):
            for _ in range(100):
                if fake.texts(77):
                    break
                await asyncio.sleep(0.05)
    assert "escribe el código de tu barrio" in fake.texts(77)[0]
    assert not [c for c in fake.calls if c.method == "setWebhook"]
