"""Limits that hold across every process serving one database, not per process.

Failed authentications per client address (api/kernel/throttle.py), codes a chat typed that
matched no barrio (api/barrios/misses.py) and the exports running at once (api/kernel/exports.py)
are counted in these two small tables, so several `accion-local serve` processes behind one
proxy enforce one limit together, and a restart forgets nothing.

- `shared_counter`: one row per key, a count within a window that starts at the key's first hit
  (an atomic upsert: INSERT .. ON CONFLICT DO UPDATE, on SQLite and PostgreSQL alike), and an
  optional `blocked_until`. Rows whose window and block are over are pruned by a periodic job.
- `export_lease`: one row per export under way, deleted when it is done; a process that dies
  mid-export leaves a row that expires after `LEASE`.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Column, Connection, Engine, case, delete, func, select, text, update
from sqlmodel import Field, SQLModel

from api.kernel.types import UTCDateTime
from api.kernel.upsert import per_dialect

LEASE = timedelta(minutes=15)  # longer than any export takes; a dead process's slot comes back after it
KEPT = timedelta(hours=1)  # the longest window a counter serves (code misses, conversations/barrios/codes.py)


class SharedCounter(SQLModel, table=True):
    """Hits of one key (`auth:<address>`, `code:<hash of a chat>`) since `window_start`."""

    __tablename__ = "shared_counter"

    key: str = Field(primary_key=True, max_length=200)
    window_start: datetime = Field(sa_column=Column(UTCDateTime, nullable=False, index=True))
    count: int = 0
    blocked_until: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, nullable=True))


class ExportLease(SQLModel, table=True):
    """An export under way, for the organisation `owner`."""

    __tablename__ = "export_lease"

    id: int | None = Field(default=None, primary_key=True)
    owner: int = Field(index=True)
    expires_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))


@dataclass(frozen=True)
class Hits:
    count: int  # within the current window, this hit included
    window_start: datetime


def _upsert(insert: Callable[[Any], Any]) -> Callable[[str, datetime, datetime], Any]:
    def build(key: str, now: datetime, since: datetime) -> Any:
        expired = SharedCounter.window_start <= since  # type: ignore[operator]
        return (insert(SharedCounter).values(key=key, window_start=now, count=1)
                .on_conflict_do_update(index_elements=["key"], set_={
                    "count": case((expired, 1), else_=SharedCounter.count + 1),
                    "window_start": case((expired, now), else_=SharedCounter.window_start)})
                .returning(SharedCounter.count, SharedCounter.window_start))  # type: ignore[arg-type]
    return build


_HIT = per_dialect(_upsert)


def hit(connection: Connection, key: str, now: datetime, window: timedelta) -> Hits:
    """Count one hit of `key`: a window older than `window` starts afresh at `now`. Atomic."""
    row = connection.execute(_HIT[connection.dialect.name](key, now, now - window)).one()
    return Hits(row.count, row.window_start)


def block(connection: Connection, key: str, until: datetime, now: datetime) -> None:
    """Block `key` until `until`; its count starts afresh."""
    connection.execute(update(SharedCounter).where(SharedCounter.key == key)  # type: ignore[arg-type]
                       .values(blocked_until=until, count=0, window_start=now))


def blocked_until(connection: Connection, key: str) -> datetime | None:
    return connection.execute(select(SharedCounter.blocked_until)  # type: ignore[call-overload]
                              .where(SharedCounter.key == key)).scalar_one_or_none()


def count_since(connection: Connection, key: str, since: datetime) -> int:
    """Hits of `key` in its window, when that window started after `since`; otherwise 0."""
    found = connection.execute(select(SharedCounter.count).where(  # type: ignore[call-overload]
        SharedCounter.key == key, SharedCounter.window_start > since)).scalar_one_or_none()
    return found or 0


def take_lease(connection: Connection, owner: int, now: datetime, *, per_owner: int, total: int) -> int | str:
    """A lease for one of `owner`'s exports (its id), or who is at the limit ("owner" or "total").

    Serialised across processes: on SQLite the first statement is a write, which takes the
    database's write lock before anything is counted; on PostgreSQL the table is locked.
    """
    if connection.dialect.name == "postgresql":
        connection.execute(text("LOCK TABLE export_lease IN EXCLUSIVE MODE"))
    connection.execute(delete(ExportLease).where(ExportLease.expires_at <= now))  # type: ignore[arg-type]
    mine = func.count().filter(ExportLease.owner == owner)
    counts = connection.execute(select(mine, func.count()).select_from(ExportLease)).one()
    if counts[0] >= per_owner:
        return "owner"
    if counts[1] >= total:
        return "total"
    return connection.execute(ExportLease.__table__.insert()  # type: ignore[attr-defined]
                              .values(owner=owner, expires_at=now + LEASE)
                              .returning(ExportLease.id)).scalar_one()  # type: ignore[arg-type]


def end_lease(engine: Engine, lease: int) -> None:
    with engine.begin() as connection:
        connection.execute(delete(ExportLease).where(ExportLease.id == lease))  # type: ignore[arg-type]


def prune_counters(engine: Engine, now: datetime) -> None:
    """Periodic job: drop counters whose window and block are long over (a chat's hashed key too)."""
    with engine.begin() as connection:
        connection.execute(delete(SharedCounter).where(
            SharedCounter.window_start < now - KEPT,  # type: ignore[operator]
            (SharedCounter.blocked_until.is_(None)) | (SharedCounter.blocked_until < now)))  # type: ignore[union-attr,operator]
