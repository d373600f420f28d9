"""The FastAPI application of the ejecutor API, put together from the routers it is given.

It knows nothing of Telegram: the composition root (bot/main.py) passes the features'
routers, the webhook's router and a lifespan that starts the bot, the jobs and the outbox.
"""

from collections.abc import Callable, Sequence
from contextlib import AbstractAsyncContextManager
from typing import Any

from fastapi import APIRouter, FastAPI
from sqlalchemy import Engine

from api.kernel.config import Settings
from api.kernel.errors import install_error_handlers

Lifespan = Callable[[FastAPI], AbstractAsyncContextManager[Any]]


def create_app(settings: Settings, engine: Engine, *, routers: Sequence[APIRouter],
               lifespan: Lifespan | None = None) -> FastAPI:
    app = FastAPI(
        title="Acción Local",
        description="API for ejecutores: barrios, surveys, convocatorias, ballots and their results.",
        version="0.1.0",
        lifespan=lifespan,
    )
    # What the dependencies in api/kernel/deps.py hand to the routes.
    app.state.settings = settings
    app.state.engine = engine
    app.state.bot_username = settings.telegram_bot_username
    install_error_handlers(app)
    for router in routers:  # in order: the first that matches serves the request
        app.include_router(router)

    @app.get("/health", tags=["service"])
    def health() -> dict[str, str]:
        """Liveness probe."""
        return {"status": "ok"}

    return app
