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
from api.barrios.deps import token_is_known
from api.barrios.directory import RecordCounters, RecordExporters
from api.barrios.feature import FEATURE as BARRIOS
from api.chat.feature import FEATURE as CHAT
from api.chat.service import ChatService, sql_context
from api.comparison.feature import FEATURE as COMPARISON
from api.convocatorias.feature import FEATURE as CONVOCATORIAS
from api.kernel.app import create_app
from api.kernel.channels import Channels
from api.kernel.config import Settings
from api.kernel.feature import Feature, Job
from api.kernel.jobs import run_forever
from api.kernel.metrics import Metrics
from api.outbox.feature import FEATURE as OUTBOX
from api.outbox.sender import OutboxWorker, depth_by_state
from api.privacy.feature import FEATURE as PRIVACY
from api.programme.feature import FEATURE as PROGRAMME
from api.staff.feature import FEATURE as STAFF
from api.surveys.feature import FEATURE as SURVEYS
from bot.application import TelegramChannel, build_application
from bot.files import TelegramPhotos
from bot.lifecycle import start_bot, stop_bot
from bot.sender import outbox_bot, run_outbox
from bot.webhook import webhook_router
from conversations.kernel.router import Chat
from web.console import console_router, install_page_errors

log = logging.getLogger(__name__)

# In menu order: each feature's menu entries and commands appear in this order.
FEATURES: tuple[Feature, ...] = (
    SURVEYS, CONVOCATORIAS, BALLOTS, PROGRAMME, COMPARISON, BARRIOS, CHAT, OUTBOX, PRIVACY, STAFF,
)


def chat_of(features: Sequence[Feature] = FEATURES) -> Chat:
    """Every flow of the features, indexed for the router."""
    return Chat([flow for feature in features for flow in feature.flows])


def jobs_of(features: Sequence[Feature] = FEATURES, channels: Channels = Channels()) -> list[Job]:
    """The features' periodic jobs, and those of their jobs that need a channel running in this process."""
    built = [make(channels) for feature in features for make in feature.channel_jobs]
    return [job for feature in features for job in feature.jobs] + [job for job in built if job is not None]


def channels_of(settings: Settings) -> Channels:
    """What the chat channels of this process lend the features: Telegram's photos, when the bot runs."""
    if not settings.telegram_bot_token:
        return Channels()
    return Channels(photos=TelegramPhotos(settings.telegram_bot_token, settings.telegram_api_url,
                                          settings.max_photo_mb))


def records_of(features: Sequence[Feature] = FEATURES) -> RecordCounters:
    """What /misdatos counts: kind -> count(session, member_id), from the features' personal data."""
    return {data.kind: data.count for feature in features for data in feature.personal_data if data.count}


def exports_of(features: Sequence[Feature] = FEATURES) -> RecordExporters:
    """What "Descargar mis datos" holds: kind -> export(session, member_id, t), from the features' personal data."""
    return {data.kind: data.export for feature in features for data in feature.personal_data if data.export}


def forgets_of(features: Sequence[Feature] = FEATURES) -> list[Callable[[str], None]]:
    """What lets go of a deleted member's rows kept in memory, from the features' personal data."""
    return [data.forget for feature in features for data in feature.personal_data if data.forget]


def chat_service(settings: Settings, engine: Engine, bot_username: Callable[[], str],
                 features: Sequence[Feature] = FEATURES, metrics: Metrics | None = None) -> ChatService:
    """One chat event = one transaction, through the features' flows and SQL ports."""
    ports = {key: factory for feature in features for key, factory in feature.ports.items()}
    context = sql_context(chat_of(features), ports=ports, records=records_of(features), bot_username=bot_username,
                          default_timezone=settings.timezone, exports=exports_of(features),
                          retention_months=settings.retention_months, max_photo_mb=settings.max_photo_mb,
                          forgets=forgets_of(features))
    return ChatService(engine, context, settings.default_locale, metrics)


def demo(session: Session, settings: Settings, features: Sequence[Feature] = FEATURES, *,
         new_token: bool = False) -> Demo:
    """The demo ejecutor and barrio, filled by every feature's seeds."""
    seeds = [seed for feature in features for seed in feature.demo]
    return ensure_demo(session, timezone=settings.timezone, seeds=seeds, new_token=new_token)


def build_app(settings: Settings, engine: Engine, features: Sequence[Feature] = FEATURES) -> FastAPI:
    """The whole server process: the ejecutor API, the staff web console, and with a token the Telegram bot (polling or
    webhook) and the outbox sender; the periodic jobs always."""
    chat = chat_of(features)
    channels = channels_of(settings)
    jobs = jobs_of(features, channels)
    metrics = Metrics(engine, outbox_depth=depth_by_state)
    routers = [router for feature in features for router in feature.routers]
    routers.append(console_router())
    telegram: Application | None = None  # type: ignore[type-arg]
    if settings.telegram_bot_token:
        channel = TelegramChannel(chat_service(settings, engine, lambda: app.state.bot_username, features, metrics))
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
            app.state.bot_started = True
        periodic = asyncio.create_task(run_forever(engine, jobs, settings.jobs_interval_seconds))
        outbox = _outbox_task(settings, engine, metrics) if telegram is not None else None
        try:
            yield
        finally:  # SIGTERM: uvicorn has stopped taking requests and finished those in flight
            periodic.cancel()
            if telegram is not None:
                app.state.bot_started = False  # /ready says so while the process stops
                await stop_bot(telegram)  # polling: no more updates; those in flight finish
            if outbox is not None:
                outbox.cancel()  # the messages in flight finish; the rest are handed back (leases released)
                await asyncio.gather(outbox, return_exceptions=True)

    app = create_app(settings, engine, routers=routers, lifespan=lifespan, metrics=metrics,
                     authenticate=lambda token: token_is_known(engine, token),
                     bot_expected=telegram is not None)
    install_page_errors(app)
    app.state.photos = channels.photos
    return app


def _outbox_task(settings: Settings, engine: Engine, metrics: Metrics) -> "asyncio.Task[None]":
    """The outbox sender, in the background of this event loop (never inside an update handler)."""
    bot = outbox_bot(settings.telegram_bot_token or "", settings.telegram_api_url)
    worker = OutboxWorker(engine, rate=settings.outbox_rate, lease_seconds=settings.outbox_lease_seconds)
    return asyncio.create_task(run_outbox(worker, bot, metrics))
