"""The webhook endpoint Telegram posts updates to, inside the FastAPI app.

An update is processed before the 200 is returned: if the process dies first, Telegram
delivers the update again, and the conversation store makes sure it counts once.

The Bot API lets a webhook response carry one method call, which saves a request: an
update's last reply goes there (sendMessage, or editMessageText for a pressed button),
once the replies before it were sent. A press that gets no reply is acknowledged there
(answerCallbackQuery); one that does is acknowledged by a request of its own. The
channel returns that call (bot/application.py, `TelegramChannel.serve`).
"""

import hmac

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from telegram import Bot, Update

from bot.application import TelegramChannel

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


def webhook_router(channel: TelegramChannel, bot: Bot, secret: str, path: str) -> APIRouter:
    router = APIRouter()

    @router.post(path, include_in_schema=False)
    async def telegram_webhook(request: Request) -> Response:
        """Receive one update from Telegram."""
        if not hmac.compare_digest(request.headers.get(SECRET_HEADER, ""), secret):
            return JSONResponse({"detail": "missing or wrong secret token"}, status_code=403)
        try:
            payload = await request.json()
            update = Update.de_json(payload, bot)
        except (ValueError, TypeError, KeyError):
            return JSONResponse({"detail": "body is not a Telegram update"}, status_code=400)
        call = await channel.serve(update, bot, webhook=True)
        return JSONResponse(call) if call else Response(status_code=200)

    return router
