"""The FastAPI application: ejecutor API, and the Telegram bot sharing its event loop."""

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

from fastapi import FastAPI
from sqlalchemy import Engine

from api.ballots import routes as ballots
from api.barrios import ejecutor_routes as ejecutores
from api.barrios import member_routes as members
from api.barrios import routes as barrios
from api.chat.service import ChatService, sql_context
from api.convocatorias import routes as convocatorias
from api.kernel.config import Settings, get_settings
from api.kernel.db import make_engine
from api.kernel.errors import install_error_handlers
from api.kernel.jobs import run_forever
from api.surveys import routes as surveys

if TYPE_CHECKING:
    from telegram.ext import Application

log = logging.getLogger(__name__)


def create_app(settings: Settings | None = None, engine: Engine | None = None) -> FastAPI:
    settings = settings or get_settings()
    engine = engine or make_engine(settings.database_url)
    telegram = _telegram(settings, engine, lambda: app.state.bot_username)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if telegram is not None:
            from bot.lifecycle import start_bot, stop_bot

            await start_bot(telegram, webhook_url=settings.webhook_url,
                            webhook_secret=settings.webhook_secret, webhook_path=settings.webhook_path)
            app.state.bot_username = telegram.bot.username
        jobs = asyncio.create_task(run_forever(engine, settings.jobs_interval_seconds))
        outbox = _outbox_task(settings, engine) if telegram is not None else None
        try:
            yield
        finally:
            jobs.cancel()
            if outbox is not None:
                outbox.cancel()
                await asyncio.gather(outbox, return_exceptions=True)
            if telegram is not None:
                await stop_bot(telegram)

    app = FastAPI(
        title="Acción Local",
        description="API for ejecutores: barrios, surveys, convocatorias, ballots and their results.",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.bot_username = settings.telegram_bot_username
    app.state.telegram = telegram
    install_error_handlers(app)
    if telegram is not None and settings.uses_webhook:
        from bot.webhook import webhook_router

        # First: routes are matched in order, and the webhook is by far the busiest.
        app.include_router(webhook_router(telegram, settings.webhook_secret or "", settings.webhook_path))
    for module in (ejecutores, barrios, members, surveys, convocatorias, ballots):
        app.include_router(module.router)

    @app.get("/health", tags=["service"])
    def health() -> dict[str, str]:
        """Liveness probe."""
        return {"status": "ok"}

    return app


def _outbox_task(settings: Settings, engine: Engine) -> "asyncio.Task[None]":
    """The outbox sender, in the background of this event loop (never inside an update handler)."""
    from api.outbox.sender import OutboxWorker
    from bot.sender import outbox_bot, run_outbox

    bot = outbox_bot(settings.telegram_bot_token or "", settings.telegram_api_url)
    worker = OutboxWorker(engine, rate=settings.outbox_rate, lease_seconds=settings.outbox_lease_seconds)
    return asyncio.create_task(run_outbox(worker, bot))


def chat_service(settings: Settings, engine: Engine, bot_username: Callable[[], str]) -> ChatService:
    return ChatService(engine, sql_context(bot_username, settings.timezone), settings.default_locale)


def _telegram(settings: Settings, engine: Engine, bot_username: Callable[[], str]) -> "Application | None":  # type: ignore[type-arg]
    if not settings.telegram_bot_token:
        log.info("TELEGRAM_BOT_TOKEN not set: the bot is off, the API runs")
        return None
    from bot.application import build_application

    return build_application(
        token=settings.telegram_bot_token, api_url=settings.telegram_api_url,
        service=chat_service(settings, engine, bot_username), webhook=settings.uses_webhook,
    )

