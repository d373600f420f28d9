"""The chat's menu reads a barrio's phases from the process's cache: no statement on a repeat, a staff
edit in this process seen at once, another process's edit seen once the entry's time is up."""

from datetime import date

import pytest
from sqlalchemy import Engine, event, update
from sqlmodel import Session

from api.programme.models import PhaseDates, ProgrammePhase
from api.programme.phase_cache import PHASES, TTL_SECONDS
from api.programme.port import SqlProgramme
from api.programme.timeline import set_phase_dates, start_programme
from conversations.programme.phases import Phase
from tests.factories import make_barrio, make_ejecutor


def _fase_2(engine: Engine, barrio_id: int) -> tuple[tuple[date, date], int]:
    """Fase II's dates as the chat's port reads them in a new transaction, and the statements it ran."""
    statements: list[str] = []

    def count(*_args: object) -> None:
        statements.append("")

    event.listen(engine, "before_cursor_execute", count)
    try:
        with Session(engine) as session:
            phases = SqlProgramme(session).phases(barrio_id)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    fase_2 = next(p for p in phases if p.phase == Phase.FASE_2)
    return (fase_2.starts_on, fase_2.ends_on), len(statements)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    now = [1000.0]
    monkeypatch.setattr(PHASES, "clock", lambda: now[0])
    return now


def test_phases_are_read_once_then_served_until_a_staff_edit(engine: Engine, session: Session,
                                                             clock: list[float]) -> None:
    barrio = make_barrio(session, make_ejecutor(session)[0])
    start_programme(session, barrio, date(2026, 9, 1))
    assert _fase_2(engine, barrio.id or 0) == ((date(2026, 11, 1), date(2027, 3, 1)), 1)
    assert _fase_2(engine, barrio.id or 0) == ((date(2026, 11, 1), date(2027, 3, 1)), 0)

    set_phase_dates(session, barrio, Phase.FASE_2, PhaseDates(starts_on=date(2026, 12, 1), ends_on=date(2027, 5, 1)))
    assert _fase_2(engine, barrio.id or 0) == ((date(2026, 12, 1), date(2027, 5, 1)), 1)


def test_another_process_edit_is_seen_when_the_entry_expires(engine: Engine, session: Session,
                                                             clock: list[float]) -> None:
    barrio = make_barrio(session, make_ejecutor(session)[0])
    start_programme(session, barrio, date(2026, 9, 1))
    assert _fase_2(engine, barrio.id or 0)[0] == (date(2026, 11, 1), date(2027, 3, 1))
    with engine.begin() as connection:  # what another process's write looks like from here: no ORM event
        connection.execute(update(ProgrammePhase).where(ProgrammePhase.barrio_id == barrio.id,  # type: ignore[arg-type]
                                                        ProgrammePhase.phase == Phase.FASE_2)  # type: ignore[arg-type]
                           .values(starts_on=date(2027, 1, 1)))
    clock[0] += TTL_SECONDS - 1
    assert _fase_2(engine, barrio.id or 0) == ((date(2026, 11, 1), date(2027, 3, 1)), 0)
    clock[0] += 2
    assert _fase_2(engine, barrio.id or 0) == ((date(2027, 1, 1), date(2027, 3, 1)), 1)
