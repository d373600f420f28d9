"""Webhook mode: the app registers the webhook, checks the secret, handles each update once."""

from collections.abc import AsyncIterator

import httpx
import pytest
import respx
from sqlalchemy import Engine
from sqlmodel import Session, select

from api.chat.models import Conversation
from api.chat.service import ChatService
from api.kernel.config import Settings
from bot.main import build_app
from tests.factories import make_barrio, make_ejecutor
from tests.fakes.telegram import BASE_URL, BOT_USERNAME, TOKEN, FakeBotApi

SECRET = "webhook-secret-1"


@pytest.fixture
async def served(engine: Engine) -> AsyncIterator[tuple[httpx.AsyncClient, FakeBotApi]]:
    settings = Settings(_env_file=None, telegram_bot_token=TOKEN, telegram_api_url=BASE_URL,  # type: ignore[call-arg]
                        webhook_url="https://accion.example.org", webhook_secret=SECRET)
    fake = FakeBotApi()
    with respx.mock(assert_all_called=False, using="httpx") as router:
        fake.install(router)
        router.route(host="testserver").pass_through()
        app = build_app(settings, engine)
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
                yield client, fake


def _update(update_id: int, text: str) -> dict[str, object]:
    return {"update_id": update_id, "message": {
        "message_id": update_id, "date": 1_790_000_000, "text": text,
        "chat": {"id": 42, "type": "private"},
        "from": {"id": 42, "is_bot": False, "first_name": "Rosa", "language_code": "es"},
        "entities": [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        if text.startswith("/") else [],
    }}


async def test_start_registers_webhook_commands_and_bot_name(served: tuple[httpx.AsyncClient, FakeBotApi]) -> None:
    client, fake = served
    webhook = next(c for c in fake.calls if c.method == "setWebhook")
    assert webhook.params["url"] == "https://accion.example.org/telegram/webhook"
    assert webhook.params["secret_token"] == SECRET
    assert {c.params.get("language_code") for c in fake.calls if c.method == "setMyCommands"} == {"es", "ht", "en"}
    assert client._transport.app.state.bot_username == BOT_USERNAME  # type: ignore[attr-defined]


async def test_requests_without_the_secret_are_rejected(served: tuple[httpx.AsyncClient, FakeBotApi]) -> None:
    client, fake = served
    response = await client.post("/telegram/webhook", json=_update(1, "/start"))
    assert response.status_code == 403
    wrong = await client.post("/telegram/webhook", json=_update(1, "/start"),
                              headers={"X-Telegram-Bot-Api-Secret-Token": "nope"})
    assert wrong.status_code == 403
    assert fake.messages() == []


async def test_update_delivered_twice_is_answered_once(served: tuple[httpx.AsyncClient, FakeBotApi],
                                                       session: Session) -> None:
    client, fake = served
    ejecutor, _ = make_ejecutor(session)
    barrio = make_barrio(session, ejecutor)
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    code = barrio.join_code
    start = await client.post("/telegram/webhook", json=_update(1, f"/start {code}"), headers=headers)
    assert start.status_code == 200
    press = {"update_id": 2, "callback_query": {
        "id": "q1", "chat_instance": "c", "data": f"consent:yes:es:{code}",
        "from": {"id": 42, "is_bot": False, "first_name": "Rosa"},
        "message": {"message_id": 5, "date": 1_790_000_000, "chat": {"id": 42, "type": "private"}, "text": "…"}}}
    pressed = await client.post("/telegram/webhook", json=press, headers=headers)
    reply = pressed.json()  # the last reply (the menu) rides on the response, after the welcome was sent
    assert reply["method"] == "sendMessage" and reply["chat_id"] == 42 and reply["text"] == "¿Qué quieres hacer?"
    assert any(barrio.name in text for text in fake.texts(42))
    assert [c.params["callback_query_id"] for c in fake.calls if c.method == "answerCallbackQuery"] == ["q1"]
    again = await client.post("/telegram/webhook", json=press, headers=headers)  # a twin: no reply, only the ack
    assert again.json() == {"method": "answerCallbackQuery", "callback_query_id": "q1"}
    fake.clear()
    for _ in range(2):  # Telegram retries the same update
        response = await client.post("/telegram/webhook", json=_update(3, "/misdatos"), headers=headers)
        assert response.status_code == 200
        fake.executes(response)
    assert len([t for t in fake.texts(42) if "Esto es lo que guardamos" in t]) == 1
    assert session.exec(select(Conversation)).one().last_update_id == 3


async def test_a_message_is_answered_in_the_webhook_response(served: tuple[httpx.AsyncClient, FakeBotApi],
                                                             session: Session) -> None:
    client, fake = served
    barrio = make_barrio(session, make_ejecutor(session)[0])
    fake.clear()
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    response = await client.post("/telegram/webhook", json=_update(1, f"/start {barrio.join_code}"), headers=headers)
    call = response.json()
    assert call["method"] == "sendMessage" and call["chat_id"] == 42
    assert call["text"].startswith("Elige tu idioma")
    assert [b["callback_data"] for row in call["reply_markup"]["inline_keyboard"] for b in row] == [
        f"join:es:{barrio.join_code}", f"join:ht:{barrio.join_code}", f"join:en:{barrio.join_code}"]
    assert fake.messages() == []  # no request of its own: Telegram sends it


async def test_garbage_body_is_a_clear_400(served: tuple[httpx.AsyncClient, FakeBotApi]) -> None:
    client, _ = served
    response = await client.post("/telegram/webhook", content=b"not json",
                                 headers={"X-Telegram-Bot-Api-Secret-Token": SECRET})
    assert response.status_code == 400 and "Telegram update" in response.json()["detail"]


@pytest.mark.parametrize("body", [
    [1, 2], "update", 5, None, {}, {"update_id": "7"}, {"update_id": True}, {"update_id": -1},
    {"update_id": 2**63}, {"update_id": 1.5}, {"update_id": 3, "message": 5},
])
async def test_a_body_without_an_update_id_in_range_is_a_400(served: tuple[httpx.AsyncClient, FakeBotApi],
                                                             body: object) -> None:
    client, fake = served
    fake.clear()
    response = await client.post("/telegram/webhook", json=body, headers={"X-Telegram-Bot-Api-Secret-Token": SECRET})
    assert response.status_code == 400 and response.json() == {"detail": "body is not a Telegram update"}
    assert fake.messages() == []


async def test_a_non_ascii_secret_is_refused_not_a_crash(served: tuple[httpx.AsyncClient, FakeBotApi]) -> None:
    client, _ = served
    for secret in ("contraseña".encode("latin-1"), "clé-ñ".encode()):
        response = await client.post("/telegram/webhook", json=_update(1, "/start"),
                                     headers={"X-Telegram-Bot-Api-Secret-Token": secret})
        assert response.status_code == 403


async def test_an_update_that_cannot_be_stored_is_a_503_and_the_person_is_told_once(
        served: tuple[httpx.AsyncClient, FakeBotApi], session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    """Telegram redelivers an update answered 5xx; the answer to a redelivery that works is the reply."""
    client, fake = served
    barrio = make_barrio(session, make_ejecutor(session)[0])
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}

    def broken(*_args: object, **_kw: object) -> None:
        raise RuntimeError("database is gone: /var/lib/secret")

    monkeypatch.setattr(ChatService, "handle", broken)
    fake.clear()
    for _ in range(2):  # Telegram delivers it again after the 5xx
        response = await client.post("/telegram/webhook", json=_update(7, f"/start {barrio.join_code}"),
                                     headers=headers)
        assert response.status_code == 503 and "secret" not in response.text and "Traceback" not in response.text
    told = fake.texts(42)
    assert len(told) == 1 and "Algo falló" in told[0] and "database" not in told[0]
    monkeypatch.undo()
    response = await client.post("/telegram/webhook", json=_update(7, f"/start {barrio.join_code}"), headers=headers)
    assert response.status_code == 200 and response.json()["text"].startswith("Elige tu idioma")


async def test_guessing_the_secret_is_throttled(served: tuple[httpx.AsyncClient, FakeBotApi]) -> None:
    client, _ = served
    for attempt in range(10):  # AUTH_FAILURES by default
        answer = await client.post("/telegram/webhook", json=_update(900 + attempt, "/start"),
                                   headers={"X-Telegram-Bot-Api-Secret-Token": f"guess-{attempt}"})
        assert answer.status_code == 403
    refused = await client.post("/telegram/webhook", json=_update(910, "/start"),
                                headers={"X-Telegram-Bot-Api-Secret-Token": SECRET})
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) > 0
