"""The python-telegram-bot Application: one handler that feeds every update to the chat service."""

import asyncio
import logging
from collections import OrderedDict
from typing import Any
from weakref import WeakValueDictionary

from telegram import Bot, CallbackQuery, Update
from telegram.error import TelegramError
from telegram.ext import Application, ApplicationBuilder, ContextTypes, TypeHandler

from api.chat.service import Address, ChatService
from bot.render import reply_call, send
from bot.transport import telegram_request
from bot.updates import to_incoming
from conversations.kernel.i18n import Translator, negotiate
from conversations.kernel.router import in_group

log = logging.getLogger(__name__)


class UpdateFailed(Exception):
    """An update could not be served to the end (storing it, or sending its replies, failed): the webhook
    answers 5xx so that Telegram delivers it again."""


APOLOGIES_REMEMBERED = 1024  # update ids whose person was already told, so a redelivery does not tell again


class TelegramChannel:
    """Serves updates in order per person, many people at once."""

    def __init__(self, service: ChatService) -> None:
        self.service = service
        self._locks: WeakValueDictionary[Address, asyncio.Lock] = WeakValueDictionary()
        self._apologised: OrderedDict[int, None] = OrderedDict()

    async def on_update(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """python-telegram-bot's handler (long polling): serve the update, send every reply."""
        await self.serve(update, context.bot)

    async def serve(self, update: Update, bot: Bot, *, webhook: bool = False) -> dict[str, Any] | None:
        """Turn the update into an event, step the conversation, send the replies.

        Through the webhook (`webhook=True`) the last reply is not sent but returned: the
        one Bot API call the webhook's answer carries (or the button's acknowledgement).
        A failure is logged and the person is told once, in their language, to try again;
        through the webhook it then raises UpdateFailed, so that Telegram delivers the update
        again (long polling has already acknowledged it: nothing would come back).
        """
        try:
            return await self._serve(update, bot, webhook)
        except Exception as error:
            log.exception("update %s failed", update.update_id, extra={"update_id": update.update_id})
            if self._first_failure(update.update_id):
                await apologise(update, bot)
            if webhook:
                raise UpdateFailed(update.update_id) from error
            return None

    def _first_failure(self, update_id: int) -> bool:
        """Whether this update failed here for the first time (a redelivery failing again says nothing)."""
        if update_id in self._apologised:
            return False
        self._apologised[update_id] = None
        if len(self._apologised) > APOLOGIES_REMEMBERED:
            self._apologised.popitem(last=False)
        return True

    async def _serve(self, update: Update, bot: Bot, webhook: bool) -> dict[str, Any] | None:
        incoming = to_incoming(update)
        if incoming is None:
            return None
        query = update.callback_query
        pressed = query.message if query is not None else None
        acknowledge = {"method": "answerCallbackQuery", "callback_query_id": query.id} if query else None
        if query is not None and not webhook:
            await query.answer()  # stops the spinner on the button
        if not incoming.private:
            await send(bot, incoming.chat_id, in_group(incoming.event))
            return acknowledge if webhook else None
        lock = self._locks.setdefault(incoming.address, asyncio.Lock())
        async with lock:
            replies = await self.service.handle_async(incoming.address, incoming.event, update.update_id)
            # a file cannot ride on the webhook's answer (it is an upload): such replies all go out here
            if not webhook or not replies or replies[-1].document is not None:
                await send(bot, incoming.chat_id, replies, pressed)
                return acknowledge if webhook else None
            if query is not None:
                await _acknowledge(query)  # the webhook's answer carries a reply instead
            await send(bot, incoming.chat_id, replies[:-1], pressed)
            return reply_call(incoming.chat_id, replies[-1], pressed)

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """python-telegram-bot's error handler: log the failure; tell the person to try again."""
        log.error("update failed", exc_info=context.error)
        if isinstance(update, Update):
            await apologise(update, context.bot)


async def apologise(update: Update, bot: Bot) -> None:
    """Tell the person, in their language, that their last message was not saved."""
    if update.effective_chat is None:
        return
    user = update.effective_user
    t = Translator(negotiate(user.language_code if user else None))
    try:
        await bot.send_message(update.effective_chat.id, t._(
            "Algo falló de nuestro lado y no pude guardar tu último mensaje. "
            "Inténtalo de nuevo en un momento."))
    except Exception:  # the Bot API itself may be what failed
        log.warning("could not tell the person of update %s about the failure", update.update_id)


async def _acknowledge(query: CallbackQuery) -> None:
    """answerCallbackQuery; a press already acknowledged (a twin delivery) is no failure."""
    try:
        await query.answer()
    except TelegramError as error:
        log.info("could not acknowledge button press %s: %s", query.id, error)


def build_application(*, token: str, api_url: str, channel: TelegramChannel,
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
    application.add_handler(TypeHandler(Update, channel.on_update))
    application.add_error_handler(channel.on_error)
    return application
