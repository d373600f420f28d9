"""Periodic jobs (ballots opening and closing, reminders falling due), run by every server.

Each job is `job(engine, now)`, must be idempotent and safe to run in several processes
at once (claim rows with a conditional UPDATE, or rely on unique constraints), because
every `accion-local serve` process runs the loop.
"""

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import Engine

from api.kernel.types import utcnow

log = logging.getLogger(__name__)

Job = Callable[[Engine, datetime], None]

# Features append their jobs here at import time.
JOBS: list[Job] = []


def run_due(engine: Engine, now: datetime | None = None) -> None:
    """Run every job once; a failing job is logged and does not stop the others."""
    moment = now or utcnow()
    for job in JOBS:
        try:
            job(engine, moment)
        except Exception:
            log.exception("periodic job %s failed", getattr(job, "__name__", job))


async def run_forever(engine: Engine, every_seconds: float = 15.0) -> None:
    while True:
        await asyncio.to_thread(run_due, engine)
        await asyncio.sleep(every_seconds)
