"""Starting and stopping the Telegram bot inside the web server's event loop."""

import logging

from telegram import BotCommand
from telegram.ext import Application

from conversations.kernel.i18n import SUPPORTED, Translator

log = logging.getLogger(__name__)


def _commands(t: Translator) -> list[BotCommand]:
    return [
        BotCommand("menu", t._("Ver las opciones")),
        BotCommand("encuestas", t._("Responder las encuestas del barrio")),
        BotCommand("votar", t._("Votar por las iniciativas")),
        BotCommand("convocatorias", t._("Ver las próximas asambleas")),
        BotCommand("ayuda", t._("Cómo funciona este chat")),
        BotCommand("idioma", t._("Cambiar el idioma")),
        BotCommand("misdatos", t._("Ver lo que guardamos sobre ti")),
        BotCommand("borrar", t._("Borrar todos tus datos")),
        BotCommand("salir", t._("Dejar de recibir mensajes del barrio")),
    ]


async def start_bot(application: Application, *, webhook_url: str | None,  # type: ignore[type-arg]
                    webhook_secret: str | None, webhook_path: str) -> None:
    await application.initialize()
    for locale in SUPPORTED:
        await application.bot.set_my_commands(_commands(Translator(locale)), language_code=locale)
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
