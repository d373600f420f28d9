"""Starting and stopping the Telegram bot inside the web server's event loop."""

import logging

from telegram import BotCommand
from telegram.ext import Application

from conversations.kernel.i18n import SUPPORTED, Translator
from conversations.kernel.router import Chat

log = logging.getLogger(__name__)


def bot_commands(chat: Chat, t: Translator) -> list[BotCommand]:
    """Telegram's command menu: every command a flow declares with what it does."""
    return [BotCommand(name, about) for name, about in chat.about(t)]


async def start_bot(application: Application, chat: Chat, *, webhook_url: str | None,  # type: ignore[type-arg]
                    webhook_secret: str | None, webhook_path: str) -> None:
    await application.initialize()
    for locale in SUPPORTED:
        await application.bot.set_my_commands(bot_commands(chat, Translator(locale)), language_code=locale)
    if webhook_url:
        await application.bot.set_webhook(
            url=webhook_url.rstrip("/") + webhook_path, secret_token=webhook_secret,
            allowed_updates=["message", "edited_message", "callback_query", "my_chat_member"],
        )
    await application.start()
    if not webhook_url and application.updater is not None:
        await application.updater.start_polling(drop_pending_updates=False)
    log.info("telegram bot @%s started (%s)", application.bot.username,
             "webhook" if webhook_url else "polling")


async def stop_bot(application: Application) -> None:  # type: ignore[type-arg]
    if application.updater is not None and application.updater.running:
        await application.updater.stop()
    if application.running:
        await application.stop()
    await application.shutdown()
