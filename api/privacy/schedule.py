"""When a barrio's personal links are cut: the end of its programme plus the grace period (RETENTION_MONTHS).

The programme's end is the date staff set (`barrio.programme_ends_on`) when there is one,
otherwise the end of the barrio's last phase (api/programme/timeline.py): moving the
programme's start, validating the PDL or editing a phase moves the day with it, and staff
clearing their date hands it back to the phases. A barrio with neither has no day yet.
The 30-day warning and the retention job read the same day, computed here and nowhere else.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from sqlalchemy import Subquery, func, select
from sqlmodel import Session

from api.barrios.models import Barrio
from api.programme.models import ProgrammePhase
from api.programme.timeline import local_day
from conversations.programme.phases import add_months

WARNING = timedelta(days=30)


class EndFrom(StrEnum):
    STAFF = "staff"  # the date staff set
    PHASES = "phases"  # the end of the last programme phase


@dataclass(frozen=True)
class RetentionDay:
    programme_ends_on: date
    source: EndFrom
    links_cut_on: date

    def warning(self, today: date) -> bool:
        """Whether staff should be warned: the day is 30 days away or less."""
        return self.links_cut_on - today <= WARNING


def _last_phase_end() -> Subquery:
    return (select(ProgrammePhase.barrio_id, func.max(ProgrammePhase.ends_on).label("ends_on"))
            .group_by(ProgrammePhase.barrio_id).subquery())


def retention_days(session: Session, barrio_ids: Iterable[int], months: int) -> dict[int, RetentionDay]:
    """Barrio id -> its retention day, for the barrios that have one (one query for them all)."""
    wanted = list(barrio_ids)
    if not wanted:
        return {}
    last = _last_phase_end()
    rows = session.execute(
        select(Barrio.id, Barrio.programme_ends_on, last.c.ends_on)
        .outerjoin(last, last.c.barrio_id == Barrio.id)
        .where(Barrio.id.in_(wanted))  # type: ignore[union-attr]
    ).all()
    return {barrio_id: day for barrio_id, explicit, phases in rows
            if (day := _day(explicit, phases, months)) is not None}


def _day(explicit: date | None, phases: date | None, months: int) -> RetentionDay | None:
    if explicit is not None:
        return RetentionDay(explicit, EndFrom.STAFF, add_months(explicit, months))
    if phases is not None:
        return RetentionDay(phases, EndFrom.PHASES, add_months(phases, months))
    return None


def due(session: Session, months: int, now: datetime) -> list[int]:
    """The barrios whose links are still uncut and whose retention day has come (in the barrio's own zone)."""
    # SQL keeps the candidates whose end is near enough (a few days' margin: month ends and time zones),
    # Python then checks each exactly with the same arithmetic as everywhere else
    latest = add_months(now.date(), -months) + timedelta(days=4)
    last = _last_phase_end()
    ends = func.coalesce(Barrio.programme_ends_on, last.c.ends_on)
    rows = session.execute(
        select(Barrio.id, Barrio.timezone, Barrio.programme_ends_on, last.c.ends_on)
        .outerjoin(last, last.c.barrio_id == Barrio.id)
        .where(Barrio.links_cut_at.is_(None), ends <= latest)  # type: ignore[union-attr]
        .order_by(Barrio.id)  # type: ignore[arg-type]
    ).all()
    return [barrio_id for barrio_id, timezone, explicit, phases in rows
            if (day := _day(explicit, phases, months)) is not None and day.links_cut_on <= local_day(timezone, now)]
