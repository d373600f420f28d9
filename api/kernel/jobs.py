"""Periodic jobs (ballots opening and closing, reminders falling due, pruning), run by every server.

Each job is `job(engine, now)`, declared by its feature (api/kernel/feature.py), and must
be idempotent and safe to run in several processes at once (claim rows with a
conditional UPDATE, or rely on unique constraints), because every `accion-local serve`
process runs the loop.
"""

import asyncio
import logging
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Engine

from api.kernel.feature import Job
from api.kernel.types import utcnow

log = logging.getLogger(__name__)


def run_due(engine: Engine, jobs: Sequence[Job], now: datetime | None = None) -> None:
    """Run every job once; a failing job is logged and does not stop the others."""
    moment = now or utcnow()
    for job in jobs:
        try:
            job(engine, moment)
        except Exception:
            log.exception("periodic job %s failed", getattr(job, "__name__", job))


async def run_forever(engine: Engine, jobs: Sequence[Job], every_seconds: float = 15.0) -> None:
    while True:
        await asyncio.to_thread(run_due, engine, jobs)
        await asyncio.sleep(every_seconds)
