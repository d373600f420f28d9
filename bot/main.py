"""The composition root: the features accion-local is made of, and the process built from them.

This is the one module that knows every layer: each feature's declaration
(`api/<feature>/feature.py`: its chat flows, ports, routers, jobs, personal data and
demo seeds), the ejecutor API (`api/`) and the channels (`bot/`). Nothing registers
itself by being imported; a feature takes part because it is listed in FEATURES.
"""

import asyncio
import logging
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager

from fastapi import FastAPI
from sqlalchemy import Engine
from sqlmodel import Session
from telegram.ext import Application

from api.ballots.feature import FEATURE as BALLOTS
from api.barrios.demo import Demo, ensure_demo
from api.barrios.directory import RecordCounters
from api.barrios.feature import FEATURE as BARRIOS
from api.chat.feature import FEATURE as CHAT
from api.chat.service import ChatService, sql_context
from api.convocatorias.feature import FEATURE as CONVOCATORIAS
from api.kernel.app import create_app
from api.kernel.config import Settings
from api.kernel.feature import Feature, Job
from api.kernel.jobs import run_forever
from api.outbox.feature import FEATURE as OUTBOX
from api.outbox.sender import OutboxWorker
from api.staff.feature import FEATURE as STAFF
from api.surveys.feature import FEATURE as SURVEYS
from bot.application import TelegramChannel, build_application
from bot.lifecycle import start_bot, stop_bot
from bot.sender import outbox_bot, run_outbox
from bot.webhook import webhook_router
from conversations.kernel.router import Chat
from web.console import console_router, install_page_errors

log = logging.getLogger(__name__)

# In menu order: each feature's menu entries and commands appear in this order.
FEATURES: tuple[Feature, ...] = (SURVEYS, CONVOCATORIAS, BALLOTS, BARRIOS, CHAT, OUTBOX, STAFF)


def chat_of(features: Sequence[Feature] = FEATURES) -> Chat:
    """Every flow of the features, indexed for the router."""
    return Chat([flow for feature in features for flow in feature.flows])


def jobs_of(features: Sequence[Feature] = FEATURES) -> list[Job]:
    return [job for feature in features for job in feature.jobs]


def records_of(features: Sequence[Feature] = FEATURES) -> RecordCounters:
    """What /misdatos counts: kind -> count(session, member_id), from the features' personal data."""
    return {data.kind: data.count for feature in features for data in feature.personal_data if data.count}


def chat_service(settings: Settings, engine: Engine, bot_username: Callable[[], str],
                 features: Sequence[Feature] = FEATURES) -> ChatService:
    """One chat event = one transaction, through the features' flows and SQL ports."""
    ports = {key: factory for feature in features for key, factory in feature.ports.items()}
    context = sql_context(chat_of(features), ports=ports, records=records_of(features), bot_username=bot_username,
                          default_timezone=settings.timezone)
    return ChatService(engine, context, settings.default_locale)


def demo(session: Session, settings: Settings, features: Sequence[Feature] = FEATURES) -> Demo:
    """The demo ejecutor and barrio, filled by every feature's seeds."""
    seeds = [seed for feature in features for seed in feature.demo]
    return ensure_demo(session, timezone=settings.timezone, seeds=seeds)


def build_app(settings: Settings, engine: Engine, features: Sequence[Feature] = FEATURES) -> FastAPI:
    """The whole server process: the ejecutor API, the staff web console, and with a token the Telegram bot (polling or
    webhook) and the outbox sender; the periodic jobs always."""
    chat = chat_of(features)
    jobs = jobs_of(features)
    routers = [router for feature in features for router in feature.routers]
    routers.append(console_router())
    telegram: Application | None = None  # type: ignore[type-arg]
    if settings.telegram_bot_token:
        channel = TelegramChannel(chat_service(settings, engine, lambda: app.state.bot_username, features))
        telegram = build_application(token=settings.telegram_bot_token, api_url=settings.telegram_api_url,
                                     channel=channel, webhook=settings.uses_webhook)
        if settings.uses_webhook:  # first: routes are matched in order, and the webhook is by far the busiest
            routers.insert(0, webhook_router(channel, telegram.bot, settings.webhook_secret or "",
                                             settings.webhook_path))
    else:
        log.info("TELEGRAM_BOT_TOKEN not set: the bot is off, the API runs")

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if telegram is not None:
            await start_bot(telegram, chat, webhook_url=settings.webhook_url,
                            webhook_secret=settings.webhook_secret, webhook_path=settings.webhook_path)
            app.state.bot_username = telegram.bot.username
        periodic = asyncio.create_task(run_forever(engine, jobs, settings.jobs_interval_seconds))
        outbox = _outbox_task(settings, engine) if telegram is not None else None
        try:
            yield
        finally:
            periodic.cancel()
            if outbox is not None:
                outbox.cancel()
                await asyncio.gather(outbox, return_exceptions=True)
            if telegram is not None:
                await stop_bot(telegram)

    app = create_app(settings, engine, routers=routers, lifespan=lifespan)
    install_page_errors(app)
    return app


def _outbox_task(settings: Settings, engine: Engine) -> "asyncio.Task[None]":
    """The outbox sender, in the background of this event loop (never inside an update handler)."""
    bot = outbox_bot(settings.telegram_bot_token or "", settings.telegram_api_url)
    worker = OutboxWorker(engine, rate=settings.outbox_rate, lease_seconds=settings.outbox_lease_seconds)
    return asyncio.create_task(run_outbox(worker, bot))
