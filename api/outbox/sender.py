"""Works the outbox: claims rows, paces them to the bot's limits, records what happened.

Nothing here knows Telegram: a `Deliver` function (bot/sender.py for Telegram) sends one
message and answers with an `Outcome`. The rules:

- Claiming is atomic. Due rows (pending, or "sending" whose lease ran out because the
  process that claimed them died) are taken with a conditional UPDATE stamped with a
  unique claim token (on PostgreSQL the candidates are also locked FOR UPDATE SKIP
  LOCKED), so each row is sent by exactly one process. A row is marked sent right after
  Telegram accepts it: a crash can repeat at most the messages that were in flight.
- Pacing is shared. The `send_pace` row holds the next free slot for the whole bot;
  a process reserves a run of slots with a compare-and-set UPDATE before sending, so all
  processes together stay at `rate` messages per second. A 429 pushes that slot forward
  by Telegram's `retry_after`, pausing every process. A chat gets at most one message per
  `per_chat_seconds`: rows of a chat that is in flight or was just written to wait.
- Outcomes: sent; blocked (403) marks the member unreachable and drops their other queued
  rows; retry-after puts the row back without counting an attempt; any other error
  retries with exponential backoff and ends as failed after `max_attempts`.
- DB work runs in threads (asyncio.to_thread), so the bot's replies to vecinos, served
  by the same event loop, never wait for a broadcast.
"""

import asyncio
import logging
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, and_, exists, func, or_, select, update
from sqlalchemy.orm import aliased
from sqlmodel import Session

from api.barrios.models import Member
from api.kernel.metrics import Metrics
from api.kernel.types import utcnow
from api.outbox.models import FAILED, PENDING, SENDING, SENT, UNREACHABLE, OutboxMessage, SendPace

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Message:
    """One claimed outbox row, as the channel needs it."""

    id: int
    member_id: str
    channel: str
    chat_id: str
    text: str
    buttons: list[list[dict[str, str]]]
    attempts: int


@dataclass(frozen=True)
class Outcome:
    kind: str  # "sent", "blocked", "retry_after", "error"
    retry_after: float = 0.0
    error: str = ""
    throttled: bool = False  # Telegram answered 429 (a retry_after may also be an unreachable API)


SENT_OK = Outcome("sent")
Deliver = Callable[[Message], Awaitable[Outcome]]


@dataclass
class OutboxWorker:
    """The database side of sending, for one process (`worker` names it in claimed_by)."""

    engine: Engine
    worker: str = field(default_factory=lambda: "w" + secrets.token_hex(4))
    rate: float = 30.0  # messages per second, for the whole bot
    per_chat_seconds: float = 1.0
    lease_seconds: float = 60.0
    max_attempts: int = 5
    channel: str = "telegram"
    _claims: int = 0

    def claim(self, limit: int, now: datetime | None = None) -> list[Message]:
        """Take up to `limit` due rows, at most one per chat; nobody else gets them until the lease ends."""
        now = now or utcnow()
        self._claims += 1
        token = f"{self.worker}:{self._claims}"
        busy = aliased(OutboxMessage)
        chat_busy = exists().where(
            busy.channel == OutboxMessage.channel, busy.chat_id == OutboxMessage.chat_id,
            busy.id != OutboxMessage.id,
            or_(and_(busy.status == SENDING, busy.claimed_at > now - self._lease),
                and_(busy.status == SENT, busy.sent_at > now - timedelta(seconds=self.per_chat_seconds))),
        )
        claimable = or_(
            and_(OutboxMessage.status == PENDING, OutboxMessage.not_before <= now),
            and_(OutboxMessage.status == SENDING, OutboxMessage.claimed_at <= now - self._lease),
        )
        with Session(self.engine) as session:
            candidates = (
                select(OutboxMessage.id, OutboxMessage.chat_id)
                .where(OutboxMessage.channel == self.channel, claimable, ~chat_busy)
                .order_by(OutboxMessage.id).limit(limit * 2)
            )
            if self.engine.dialect.name == "postgresql":
                candidates = candidates.with_for_update(skip_locked=True, of=OutboxMessage)
            ids, chats = [], set()
            for row_id, chat_id in session.execute(candidates):
                if chat_id not in chats and len(ids) < limit:
                    ids.append(row_id)
                    chats.add(chat_id)
            if not ids:
                return []
            session.execute(
                update(OutboxMessage).where(OutboxMessage.id.in_(ids), claimable)  # type: ignore[union-attr]
                .values(status=SENDING, claimed_by=token, claimed_at=now, attempts=OutboxMessage.attempts + 1)
            )
            session.commit()
            rows = session.execute(
                select(OutboxMessage).where(OutboxMessage.claimed_by == token).order_by(OutboxMessage.id)
            ).scalars().all()
            return [Message(r.id or 0, r.member_id, r.channel, r.chat_id, r.text, r.buttons, r.attempts)
                    for r in rows]

    def reserve(self, count: int, now: datetime | None = None) -> datetime:
        """Reserve `count` consecutive sending slots for the bot; returns when the first one starts."""
        for _ in range(100):
            moment = now or utcnow()
            with Session(self.engine) as session:
                pace = session.get(SendPace, 1)
                if pace is None:
                    session.add(SendPace(id=1, next_slot=moment))
                    try:
                        session.commit()
                    except Exception:
                        session.rollback()
                    continue
                start = max(pace.next_slot, moment)
                done = session.execute(
                    update(SendPace).where(SendPace.id == 1, SendPace.next_slot == pace.next_slot)
                    .values(next_slot=start + timedelta(seconds=count / self.rate))
                )
                session.commit()
                if done.rowcount == 1:  # type: ignore[attr-defined]
                    return start
        raise RuntimeError("could not reserve sending slots")

    def pause(self, seconds: float, now: datetime | None = None) -> datetime:
        """Telegram asked to wait: nobody sends before now + seconds."""
        until = (now or utcnow()) + timedelta(seconds=seconds)
        with Session(self.engine) as session:
            session.execute(update(SendPace).where(SendPace.next_slot < until).values(next_slot=until))
            session.commit()
        return until

    def record(self, message: Message, outcome: Outcome, now: datetime | None = None) -> None:
        """Write what happened to one claimed row (only while this process still holds it)."""
        now = now or utcnow()
        mine = and_(OutboxMessage.id == message.id, OutboxMessage.status == SENDING)
        values: dict[str, Any]
        if outcome.kind == "sent":
            values = {"status": SENT, "sent_at": now, "error": None}
        elif outcome.kind == "blocked":
            values = {"status": UNREACHABLE, "error": outcome.error[:300]}
        elif outcome.kind == "retry_after":
            values = {"status": PENDING, "attempts": OutboxMessage.attempts - 1, "error": outcome.error[:300],
                      "not_before": now + timedelta(seconds=outcome.retry_after)}
        elif message.attempts >= self.max_attempts:
            values = {"status": FAILED, "error": outcome.error[:300]}
        else:
            backoff = min(2.0 ** message.attempts, 300.0)
            values = {"status": PENDING, "error": outcome.error[:300], "not_before": now + timedelta(seconds=backoff)}
        with Session(self.engine) as session:
            session.execute(update(OutboxMessage).where(mine).values(**values))
            if outcome.kind == "blocked":
                session.execute(update(Member).where(Member.id == message.member_id).values(reachable=False))
                session.execute(
                    update(OutboxMessage)
                    .where(OutboxMessage.member_id == message.member_id, OutboxMessage.status == PENDING)
                    .values(status=UNREACHABLE, error="blocked the bot")
                )
            session.commit()

    def release_held(self, now: datetime | None = None) -> int:
        """Give back every row this process still holds, unsent and due now (on shutdown): another
        process sends them at once instead of after the lease. Returns how many."""
        with Session(self.engine) as session:
            done = session.execute(
                update(OutboxMessage).where(OutboxMessage.status == SENDING,
                                            OutboxMessage.claimed_by.startswith(f"{self.worker}:"))  # type: ignore[union-attr]
                .values(status=PENDING, attempts=OutboxMessage.attempts - 1, not_before=now or utcnow())
            )
            session.commit()
            return int(done.rowcount)  # type: ignore[attr-defined]

    def release(self, message: Message, not_before: datetime) -> None:
        """Give a claimed row back unsent (a pause began before its slot)."""
        with Session(self.engine) as session:
            session.execute(
                update(OutboxMessage).where(OutboxMessage.id == message.id, OutboxMessage.status == SENDING)
                .values(status=PENDING, attempts=OutboxMessage.attempts - 1, not_before=not_before)
            )
            session.commit()

    @property
    def _lease(self) -> timedelta:
        return timedelta(seconds=self.lease_seconds)


WAITING = (PENDING, SENDING, FAILED, UNREACHABLE)  # not delivered; "sent" rows are history


def depth_by_state(connection: Connection) -> dict[str, int]:
    """Outbox rows not delivered, by state (every such state, zeros included): the /metrics gauge."""
    counts = dict.fromkeys(WAITING, 0)
    rows = connection.execute(select(OutboxMessage.status, func.count()).where(
        OutboxMessage.status.in_(WAITING)).group_by(OutboxMessage.status))  # type: ignore[attr-defined]
    counts.update({status: n for status, n in rows})
    return counts


def delivery_counts(session: Session, *, kind: str, ref_id: int) -> dict[str, int]:
    """Outbox rows of one bulk message by status (every status present, zeros included)."""
    counts = dict.fromkeys((PENDING, SENDING, SENT, FAILED, UNREACHABLE), 0)
    rows = session.execute(
        select(OutboxMessage.status, func.count()).where(
            OutboxMessage.kind == kind, OutboxMessage.ref_id == ref_id
        ).group_by(OutboxMessage.status)
    ).all()
    counts.update({status: n for status, n in rows})
    return counts


class Sender:
    """The sending loop of one process: claim, wait for each slot, deliver, record."""

    def __init__(self, worker: OutboxWorker, deliver: Deliver, *, idle_seconds: float = 1.0,
                 in_flight: int = 64, metrics: Metrics | None = None) -> None:
        self.worker = worker
        self.deliver = deliver
        self.idle_seconds = idle_seconds
        self.metrics = metrics or Metrics()
        self._slots = asyncio.Semaphore(in_flight)
        self._paused_until: datetime | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._claiming: asyncio.Future[list[Message]] | None = None

    async def run(self) -> None:
        """Forever; cancel the task to stop, then `shutdown()` (or claimed rows come back after their lease)."""
        while True:
            try:
                busy = await self.run_once()
            except Exception:
                log.exception("outbox sender round failed")
                busy = False
            if not busy:
                await asyncio.sleep(self.idle_seconds)

    async def run_once(self) -> bool:
        """Claim about one second's worth of messages and schedule them; False when nothing was due."""
        # Shielded: a claim cancelled halfway would still commit in its thread; `shutdown` waits for it.
        self._claiming = asyncio.ensure_future(asyncio.to_thread(self.worker.claim, max(1, int(self.worker.rate))))
        batch = await asyncio.shield(self._claiming)
        if not batch:
            await self.drain()
            return False
        start = await asyncio.to_thread(self.worker.reserve, len(batch))
        interval = 1.0 / self.worker.rate
        for index, message in enumerate(batch):
            slot = start + timedelta(seconds=index * interval)
            await _sleep_until(slot)
            await self._slots.acquire()
            task = asyncio.create_task(self._one(message, slot))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        return True

    async def drain(self) -> None:
        """Wait for the messages in flight."""
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)

    async def shutdown(self) -> None:
        """After cancelling `run`: finish the messages in flight, give back the rows claimed but not sent."""
        await self.drain()
        if self._claiming is not None:
            await asyncio.gather(self._claiming, return_exceptions=True)
        released = await asyncio.to_thread(self.worker.release_held)
        if released:
            log.info("outbox: %d claimed messages handed back for another process", released)

    async def _one(self, message: Message, slot: datetime) -> None:
        try:
            if self._paused_until is not None and slot < self._paused_until:
                await asyncio.to_thread(self.worker.release, message, self._paused_until)
                return
            try:
                outcome = await self.deliver(message)
            except Exception as error:  # a bug or a network failure: retry later, never lose it
                log.warning("delivery of outbox row %s failed: %s", message.id, error)
                outcome = Outcome("error", error=f"{type(error).__name__}: {error}")
            self.metrics.sends.labels(outcome.kind).inc()
            if outcome.kind == "retry_after":
                self.metrics.rate_limited.inc(1 if outcome.throttled else 0)
                self.metrics.paused_seconds.inc(outcome.retry_after)
                self._paused_until = await asyncio.to_thread(self.worker.pause, outcome.retry_after)
            await asyncio.to_thread(self.worker.record, message, outcome)
        finally:
            self._slots.release()


async def _sleep_until(moment: datetime) -> None:
    delay = (moment - utcnow()).total_seconds()
    if delay > 0:
        await asyncio.sleep(delay)
