"""A barrio's phase dates kept for a short while in this process: the chat's menu asks for them on
every render (is the barrio in Fase II? then it offers "Proponer una iniciativa").

Phase dates change rarely, through staff (api/programme/timeline.py). An ORM write of a phase in
this process, committed by any session, drops the barrio's entry (so does a barrio made or
deleted, whose id may be reused); another process's write is
seen within `TTL_SECONDS`. Entries are kept per engine (tests and tools may open several
databases in one process) and at most `MAX_BARRIOS` per engine, the least recently read dropped.
"""

import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable

from sqlalchemy import Engine, event
from sqlmodel import Session

from api.barrios.models import Barrio
from api.programme.models import ProgrammePhase
from conversations.programme.ports import PhaseView

TTL_SECONDS = 30.0
MAX_BARRIOS = 10_000
_TOUCHED = "programme.phases_touched"  # session.info key: barrios whose phases this session wrote


class PhaseCache:
    """Phases by (engine, barrio); `clock` is replaceable so tests need not wait."""

    def __init__(self, *, ttl: float = TTL_SECONDS, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl, self.clock = ttl, clock
        self._engines: weakref.WeakKeyDictionary[Engine, OrderedDict[int, tuple[float, list[PhaseView]]]] = (
            weakref.WeakKeyDictionary())
        self._lock = threading.Lock()  # API routes run in a thread pool, the chat in the event loop

    def get(self, engine: Engine, barrio_id: int, load: Callable[[], list[PhaseView]]) -> list[PhaseView]:
        now = self.clock()
        with self._lock:
            entries = self._engines.setdefault(engine, OrderedDict())
            found = entries.get(barrio_id)
            if found is not None and found[0] > now:
                entries.move_to_end(barrio_id)
                return found[1]
        phases = load()
        with self._lock:
            entries[barrio_id] = (now + self.ttl, phases)
            entries.move_to_end(barrio_id)
            while len(entries) > MAX_BARRIOS:
                entries.popitem(last=False)
        return phases

    def clear(self) -> None:
        with self._lock:
            self._engines.clear()

    def forget(self, engine: Engine, barrio_ids: set[int]) -> None:
        with self._lock:
            entries = self._engines.get(engine)
            for barrio_id in barrio_ids if entries is not None else ():
                entries.pop(barrio_id, None)  # type: ignore[union-attr]


PHASES = PhaseCache()


@event.listens_for(Session, "after_flush")
def _note_phase_writes(session: Session, _context: object) -> None:
    touched = {row.barrio_id for rows in (session.new, session.dirty, session.deleted)
               for row in rows if isinstance(row, ProgrammePhase)}
    touched |= {row.id for rows in (session.new, session.deleted)  # a new barrio may reuse a deleted one's id
                for row in rows if isinstance(row, Barrio) and row.id is not None}
    if touched:
        session.info.setdefault(_TOUCHED, set()).update(touched)
        PHASES.forget(session.get_bind(), touched)  # this transaction's own reads see its writes


@event.listens_for(Session, "after_commit")
def _forget_committed(session: Session) -> None:
    touched = session.info.pop(_TOUCHED, None)
    if touched:
        PHASES.forget(session.get_bind(), touched)  # others' reads, cached before the commit, were stale
