"""The webhook endpoint Telegram posts updates to, inside the FastAPI app.

An update is processed before the 200 is returned: if the process dies first, or storing
the update fails (the answer is then a 503), Telegram delivers the update again, and the
conversation store makes sure it counts once. A body that is not a JSON object with an
integer `update_id` Telegram could send is a 400.

The Bot API lets a webhook response carry one method call, which saves a request: an
update's last reply goes there (sendMessage, or editMessageText for a pressed button),
once the replies before it were sent. A press that gets no reply is acknowledged there
(answerCallbackQuery); one that does is acknowledged by a request of its own. The
channel returns that call (bot/application.py, `TelegramChannel.serve`).
"""

from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from telegram import Bot, Update

from api.kernel.security import same_secret
from bot.application import TelegramChannel, UpdateFailed

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_UPDATE_ID = 2**63 - 1  # update ids are stored as BIGINT


def _is_update(payload: Any) -> bool:
    """A JSON object whose `update_id` is an integer in range (a JSON true is no update id)."""
    if not isinstance(payload, dict):
        return False
    update_id = payload.get("update_id")
    return type(update_id) is int and 0 <= update_id <= MAX_UPDATE_ID


def webhook_router(channel: TelegramChannel, bot: Bot, secret: str, path: str) -> APIRouter:
    router = APIRouter()

    @router.post(path, include_in_schema=False)
    async def telegram_webhook(request: Request) -> Response:
        """Receive one update from Telegram."""
        if not same_secret(request.headers.get(SECRET_HEADER, ""), secret):
            return JSONResponse({"detail": "missing or wrong secret token"}, status_code=403)
        try:
            payload = await request.json()
            if not _is_update(payload):
                raise ValueError("no update_id")
            update = Update.de_json(payload, bot)
        except (ValueError, TypeError, KeyError, AttributeError):
            return JSONResponse({"detail": "body is not a Telegram update"}, status_code=400)
        try:
            call = await channel.serve(update, bot, webhook=True)
        except UpdateFailed:
            return JSONResponse({"detail": "the update could not be stored; deliver it again"}, status_code=503)
        return JSONResponse(call) if call else Response(status_code=200)

    return router
