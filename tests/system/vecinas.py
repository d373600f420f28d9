"""What vecinas send in system tests: Telegram updates, posted to a webhook like Telegram does."""

from typing import Any

import httpx

from bench.processes import WEBHOOK_SECRET, ServeProcess

HEADERS = {"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET}


def message(update_id: int, chat: int, text: str) -> dict[str, Any]:
    """A private text message (a command when it starts with '/')."""
    entities = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}] if text.startswith("/") else []
    return {"update_id": update_id, "message": {
        "message_id": update_id, "date": 1_790_000_000, "text": text, "entities": entities,
        "chat": {"id": chat, "type": "private"}, "from": {"id": chat, "is_bot": False, "first_name": "V"}}}


def press(update_id: int, chat: int, data: str) -> dict[str, Any]:
    """A button pressed under message 1 of the chat."""
    return {"update_id": update_id, "callback_query": {
        "id": str(update_id), "chat_instance": "c", "data": data,
        "from": {"id": chat, "is_bot": False, "first_name": "V"},
        "message": {"message_id": 1, "date": 1_790_000_000, "chat": {"id": chat, "type": "private"}, "text": "…"}}}


def numbered(updates: list[dict[str, Any]], first_id: int) -> list[dict[str, Any]]:
    """The same updates with consecutive update ids from `first_id`."""
    for offset, update in enumerate(updates):
        update["update_id"] = first_id + offset
    return updates


async def post(client: httpx.AsyncClient, server: ServeProcess, update: dict[str, Any]) -> httpx.Response:
    """Deliver `update` to the server's webhook as Telegram does, running the method its answer may carry."""
    response = await client.post(f"{server.url}/telegram/webhook", json=update, headers=HEADERS)
    if response.status_code == 200 and response.content:
        call = dict(response.json())
        bot_api = f"{server.env['TELEGRAM_API_URL']}/bot{server.env['TELEGRAM_BOT_TOKEN']}"
        await client.post(f"{bot_api}/{call.pop('method')}", json=call)
    return response
