"""The python-telegram-bot Application: one handler that feeds every update to the chat service."""

import asyncio
import logging
from collections.abc import Callable
from typing import Any
from weakref import WeakValueDictionary

from telegram import CallbackQuery, Update
from telegram.error import TelegramError
from telegram.ext import Application, ApplicationBuilder, ContextTypes, TypeHandler

from api.chat.service import Address, ChatService
from bot.render import send
from bot.transport import telegram_request
from bot.updates import to_incoming
from conversations.kernel import router
from conversations.kernel.i18n import Translator, negotiate

log = logging.getLogger(__name__)


def webhook_answers(bot_data: dict[str, Any]) -> dict[int, dict[str, Any] | None]:
    """Updates being answered through the webhook response, by update id: the one Bot API
    call that response will carry (None: a bare 200)."""
    return bot_data.setdefault("webhook_answers", {})  # type: ignore[no-any-return]


class TelegramChannel:
    """Serves updates in order per person, many people at once."""

    def __init__(self, service: ChatService) -> None:
        self.service = service
        self._locks: WeakValueDictionary[Address, asyncio.Lock] = WeakValueDictionary()

    async def on_update(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Turn the update into an event, step the conversation, send the replies."""
        incoming = to_incoming(update)
        if incoming is None:
            return
        query = update.callback_query
        respond = _responder(context.bot_data, update.update_id)
        if query is not None and respond is None:
            await query.answer()  # stops the spinner on the button; no webhook response to carry it
        if not incoming.private:
            await send(context.bot, incoming.chat_id, router.in_group(incoming.event))
            return
        lock = self._locks.setdefault(incoming.address, asyncio.Lock())
        async with lock:
            replies = await self.service.handle_async(incoming.address, incoming.event, update.update_id)
            if query is not None and respond is not None and replies:
                await _acknowledge(query)  # the webhook response will carry a reply instead
            await send(context.bot, incoming.chat_id, replies, query.message if query else None, respond=respond)

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Log the failure; tell the person, in their language, to try again."""
        log.error("update failed", exc_info=context.error)
        if not isinstance(update, Update) or update.effective_chat is None:
            return
        user = update.effective_user
        t = Translator(negotiate(user.language_code if user else None))
        try:
            await context.bot.send_message(update.effective_chat.id, t._(
                "Algo falló de nuestro lado y no pude guardar tu último mensaje. "
                "Inténtalo de nuevo en un momento."))
        except Exception:  # the Bot API itself may be what failed
            log.warning("could not tell chat %s about the failure", update.effective_chat.id)


def _responder(bot_data: dict[str, Any], update_id: int) -> Callable[[dict[str, Any]], None] | None:
    answers = webhook_answers(bot_data)
    if update_id not in answers:
        return None

    def respond(call: dict[str, Any]) -> None:
        answers[update_id] = call

    return respond


async def _acknowledge(query: CallbackQuery) -> None:
    """answerCallbackQuery; a press already acknowledged (a twin delivery) is no failure."""
    try:
        await query.answer()
    except TelegramError as error:
        log.info("could not acknowledge button press %s: %s", query.id, error)


def build_application(*, token: str, api_url: str, service: ChatService,
                      webhook: bool) -> Application:  # type: ignore[type-arg]
    """An Application against `api_url` (Telegram's or a self-hosted Bot API server)."""
    base = api_url.rstrip("/")
    builder = (
        ApplicationBuilder()
        .token(token)
        .base_url(f"{base}/bot")
        .base_file_url(f"{base}/file/bot")
        .concurrent_updates(256)
        .request(telegram_request(connections=256))
        .get_updates_request(telegram_request(connections=1, read_timeout=5.0))
    )
    if webhook:
        builder = builder.updater(None)
    application = builder.build()
    channel = TelegramChannel(service)
    application.add_handler(TypeHandler(Update, channel.on_update))
    application.add_error_handler(channel.on_error)
    return application
