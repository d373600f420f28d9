"""What an operator sees of a running bot: /metrics after chat updates and an export, /ready, the logs.

The log of a chat event names its update id and the member's pseudonym, and nothing a
vecino wrote nor their chat id.
"""

import json
import logging
from collections.abc import AsyncIterator

import httpx
import pytest
import respx
from sqlalchemy import Engine
from sqlmodel import Session, select

from api.barrios.models import Member
from api.kernel.config import Settings
from api.kernel.logs import JsonFormatter
from bot.main import build_app
from tests.factories import auth, make_barrio, make_ejecutor, make_survey
from tests.fakes.telegram import BASE_URL, TOKEN, FakeBotApi

SECRET = "webhook-secret-ops"
HEADERS = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
CHAT_ID = 9_876_543


@pytest.fixture
async def served(engine: Engine) -> AsyncIterator[httpx.AsyncClient]:
    settings = Settings(_env_file=None, telegram_bot_token=TOKEN, telegram_api_url=BASE_URL,  # type: ignore[call-arg]
                        webhook_url="https://accion.example.org", webhook_secret=SECRET)
    fake = FakeBotApi()
    with respx.mock(assert_all_called=False, using="httpx") as router:
        fake.install(router)
        router.route(host="testserver").pass_through()
        app = build_app(settings, engine)
        transport = httpx.ASGITransport(app=app)
        async with app.router.lifespan_context(app), httpx.AsyncClient(transport=transport,
                                                                       base_url="http://testserver") as client:
            yield client


def _message(update_id: int, text: str) -> dict[str, object]:
    return {"update_id": update_id, "message": {
        "message_id": update_id, "date": 1_790_000_000, "text": text,
        "chat": {"id": CHAT_ID, "type": "private"},
        "from": {"id": CHAT_ID, "is_bot": False, "first_name": "Rosa", "language_code": "es"},
        "entities": [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        if text.startswith("/") else []}}


def _press(update_id: int, data: str) -> dict[str, object]:
    return {"update_id": update_id, "callback_query": {
        "id": f"q{update_id}", "chat_instance": "c", "data": data,
        "from": {"id": CHAT_ID, "is_bot": False, "first_name": "Rosa"},
        "message": {"message_id": 5, "date": 1_790_000_000, "chat": {"id": CHAT_ID, "type": "private"}, "text": "…"}}}


def _sample(metrics: str, line_start: str) -> float:
    return next(float(line.rsplit(" ", 1)[1]) for line in metrics.splitlines() if line.startswith(line_start))


async def test_metrics_count_chat_updates_and_exports(served: httpx.AsyncClient, session: Session) -> None:
    ejecutor, token = make_ejecutor(session)
    barrio = make_barrio(session, ejecutor)
    survey = make_survey(session, barrio)
    code = barrio.join_code
    for update in (_message(1, f"/start {code}"), _press(2, f"join:es:{code}"), _press(3, f"consent:yes:es:{code}"),
                   _press(3, f"consent:yes:es:{code}")):  # the last one is Telegram delivering it twice
        assert (await served.post("/telegram/webhook", json=update, headers=HEADERS)).status_code == 200
    assert (await served.get(f"/api/surveys/{survey.id}/responses.csv", headers=auth(token))).status_code == 200
    answer = await served.get("/metrics")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/plain")
    metrics = answer.text
    assert _sample(metrics, 'accion_chat_updates_total{kind="command",outcome="ok"}') == 1
    assert _sample(metrics, 'accion_chat_updates_total{kind="button",outcome="ok"}') == 2
    assert _sample(metrics, 'accion_chat_updates_total{kind="button",outcome="duplicate"}') == 1
    assert _sample(metrics, "accion_chat_event_seconds_count") == 4
    assert _sample(metrics, 'accion_chat_event_seconds_bucket{le="+Inf"}') == 4
    assert _sample(metrics, "accion_chat_event_retries_total") == 0
    assert _sample(metrics, 'accion_exports_total{outcome="done"}') == 1
    assert _sample(metrics, "accion_export_seconds_count") == 1
    assert _sample(metrics, 'accion_outbox_depth{state="pending"}') == 0
    assert _sample(metrics, "accion_db_connections_in_use") >= 0
    for name in ("accion_outbox_sends_total", "accion_outbox_rate_limited_total", "accion_outbox_pause_seconds_total"):
        assert f"# TYPE {name} counter" in metrics


async def test_ready_once_the_bot_has_started(served: httpx.AsyncClient) -> None:
    answer = await served.get("/ready")
    assert answer.status_code == 200 and answer.json()["checks"]["bot"] is True


async def test_chat_events_are_logged_with_update_id_and_pseudonym_only(
        served: httpx.AsyncClient, session: Session, caplog: pytest.LogCaptureFixture) -> None:
    barrio = make_barrio(session, make_ejecutor(session)[0])
    code = barrio.join_code
    caplog.set_level(logging.INFO, logger="api.chat.service")
    for update in (_message(11, f"/start {code}"), _press(12, f"join:es:{code}"), _press(13, f"consent:yes:es:{code}"),
                   _message(14, "mi secreto es 1234")):
        await served.post("/telegram/webhook", json=update, headers=HEADERS)
    member = session.exec(select(Member)).one()
    lines = [json.loads(JsonFormatter().format(record)) for record in caplog.records
             if record.name == "api.chat.service"]
    assert [line["update_id"] for line in lines] == [11, 12, 13, 14]
    assert lines[-1]["member"] == member.id and lines[-1]["kind"] == "text" and lines[-1]["outcome"] == "ok"
    assert "member" not in lines[0]  # before consent there is no member
    everything = "\n".join(json.dumps(line) for line in lines)
    assert str(CHAT_ID) not in everything and "secreto" not in everything
