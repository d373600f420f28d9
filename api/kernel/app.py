"""The FastAPI application of the ejecutor API, put together from the routers it is given.

It knows nothing of Telegram: the composition root (bot/main.py) passes the features'
routers, the webhook's router and a lifespan that starts the bot, the jobs and the outbox.
Beside the routers it serves what an operator needs: /health (the process is alive),
/ready (it can serve), /metrics (Prometheus), and / pointing at the documentation.
"""

import logging
from collections.abc import Callable, Sequence
from contextlib import AbstractAsyncContextManager
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import Engine, text

from api.kernel.config import Settings
from api.kernel.docs import install_docs
from api.kernel.errors import install_error_handlers
from api.kernel.exports import ExportGate
from api.kernel.headers import SecurityHeaders
from api.kernel.limits import Authenticate, RequestLimits
from api.kernel.metrics import Metrics
from api.kernel.migrate import migrations_current
from api.kernel.throttle import AuthThrottle, ThrottleFailedAuth

log = logging.getLogger(__name__)
Lifespan = Callable[[FastAPI], AbstractAsyncContextManager[Any]]


def create_app(settings: Settings, engine: Engine, *, routers: Sequence[APIRouter],
               lifespan: Lifespan | None = None, metrics: Metrics | None = None,
               authenticate: Authenticate | None = None, bot_expected: bool = False) -> FastAPI:
    """The app; `authenticate(token)` says whether a token is an ejecutor's (checked before a body is
    read), and with `bot_expected` /ready waits for the lifespan to set `app.state.bot_started`."""
    docs = settings.docs_enabled
    app = FastAPI(
        title="Acción Local",
        description="API for ejecutores: barrios, surveys, convocatorias, ballots and their results.",
        version="0.1.0",
        lifespan=lifespan,
        docs_url=None,  # served below, with Swagger UI's files from this server (api/kernel/docs.py)
        redoc_url=None,  # one documentation page, under one Content-Security-Policy
        openapi_url="/openapi.json" if docs else None,
    )
    # What the dependencies in api/kernel/deps.py hand to the routes.
    app.state.settings = settings
    app.state.engine = engine
    app.state.bot_username = settings.telegram_bot_username
    app.state.metrics = metrics = metrics or Metrics(engine)
    app.state.export_gate = ExportGate(engine, per_owner=settings.exports_per_organisation,
                                       total=settings.exports_total, metrics=metrics)
    app.state.bot_started = not bot_expected
    install_error_handlers(app)
    if docs:
        install_docs(app, title=app.title, openapi_url=app.openapi_url or "/openapi.json")
    # Outermost last: headers go on every answer, also the limits' own 401/413/422 and the throttle's 429;
    # the throttle sees the limits' 401s.
    app.add_middleware(RequestLimits, max_json_bytes=settings.max_json_bytes,  # type: ignore[arg-type]
                       max_upload_bytes=settings.max_upload_bytes, admin_token=settings.admin_token,
                       authenticate=authenticate)
    app.state.auth_throttle = throttle = AuthThrottle(
        engine, failures=settings.auth_failures, window=settings.auth_window_seconds, block=settings.auth_block_seconds)
    app.add_middleware(ThrottleFailedAuth, throttle=throttle)  # type: ignore[arg-type]
    app.add_middleware(SecurityHeaders)  # type: ignore[arg-type]
    for router in routers:  # in order: the first that matches serves the request
        app.include_router(router)
    app.include_router(_service_router(docs))
    return app


def _service_router(docs: bool) -> APIRouter:
    router = APIRouter(tags=["service"])

    @router.get("/", include_in_schema=False)
    def root() -> Response:
        """The documentation when it is served; otherwise where to look."""
        if docs:
            return RedirectResponse("/docs")
        return JSONResponse({"service": "Acción Local", "api": "/api", "health": "/health", "ready": "/ready"})

    @router.get("/health")
    def health() -> dict[str, str]:
        """Liveness probe: the process answers."""
        return {"status": "ok"}

    @router.get("/ready", responses={503: {"description": "Not ready; `checks` says what is missing"}})
    def readiness(request: Request) -> JSONResponse:
        """Readiness probe: the database answers, its schema is current, the bot (if any) has started."""
        engine: Engine = request.app.state.engine
        checks = {"database": False, "migrations": False, "bot": bool(request.app.state.bot_started)}
        try:
            with engine.connect() as connection:
                connection.execute(text("SELECT 1"))
            checks["database"] = True
            checks["migrations"] = migrations_current(engine)
        except Exception:  # unreachable, or no alembic_version table yet: not ready, and says so
            log.warning("readiness: the database check failed", exc_info=True)
        ok = all(checks.values())
        return JSONResponse({"status": "ready" if ok else "not ready", "checks": checks},
                            status_code=200 if ok else 503)

    @router.get("/metrics", response_class=Response, include_in_schema=False)
    def metrics(request: Request) -> Response:
        """Prometheus's text format."""
        return Response(generate_latest(request.app.state.metrics.registry), media_type=CONTENT_TYPE_LATEST)

    return router
