"""A barrio's timeline: starting the programme, default and edited phase dates, the activity checklist.

Dates staff set by hand (`edited`) are kept; every other phase follows the defaults of
conversations/programme/phases.py, recomputed when the start or the PDL's validation moves.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from api.barrios.models import Barrio
from api.kernel.errors import NotFound
from api.kernel.types import utcnow
from api.programme.models import (
    ActivityPublic,
    ActivityTick,
    PhaseDates,
    PhasePublic,
    Programme,
    ProgrammeActivity,
    ProgrammePhase,
    TimelinePublic,
)
from conversations.kernel.i18n import Translator
from conversations.programme.activities import ACTIVITIES, BY_KEY
from conversations.programme.phases import PHASES, Phase, PhaseStatus, Span, default_spans
from conversations.programme.texts import phase_name


def local_day(timezone: str, now: datetime) -> date:
    """The date it is at `now` in the time zone: phases change at the barrio's midnight."""
    return now.astimezone(ZoneInfo(timezone)).date()


def barrio_today(barrio: Barrio, now: datetime | None = None) -> date:
    return local_day(barrio.timezone, now or utcnow())


def programme_of(session: Session, barrio: Barrio) -> Programme:
    found = session.get(Programme, barrio.id)
    if found is None:
        raise NotFound(f"barrio {barrio.id} has no programme yet: PUT its start date first")
    return found


def phases_of(session: Session, barrio_id: int) -> list[ProgrammePhase]:
    return list(session.exec(select(ProgrammePhase).where(ProgrammePhase.barrio_id == barrio_id)
                             .order_by(ProgrammePhase.starts_on, ProgrammePhase.phase)).all())  # type: ignore[arg-type]


def _apply_defaults(session: Session, programme: Programme, today: date) -> None:
    spans = default_spans(programme.starts_on, programme.pdl_validated_on)
    existing = {p.phase: p for p in phases_of(session, programme.barrio_id)}
    for phase in PHASES:
        row = existing.get(phase) or ProgrammePhase(barrio_id=programme.barrio_id, phase=phase,
                                                    starts_on=spans[phase].starts_on, ends_on=spans[phase].ends_on)
        if not row.edited:
            row.starts_on, row.ends_on = spans[phase].starts_on, spans[phase].ends_on
        _settle(row, today)
        session.add(row)


def _settle(row: ProgrammePhase, today: date) -> None:
    """A phase whose dates are already past when they are set is done, and is never announced."""
    if Span(row.starts_on, row.ends_on).status(today) == PhaseStatus.DONE:
        row.status = PhaseStatus.DONE
    elif row.status == PhaseStatus.DONE:
        row.status = PhaseStatus.PLANNED  # moved into the future: the job activates it again


def start_programme(session: Session, barrio: Barrio, starts_on: date) -> Programme:
    """Set (or move) the programme's start: phases get their default dates, activities their checklist."""
    assert barrio.id is not None
    programme = session.get(Programme, barrio.id)
    if programme is None:
        programme = Programme(barrio_id=barrio.id, starts_on=starts_on)
        session.add_all(ProgrammeActivity(barrio_id=barrio.id, phase=a.phase, key=a.key) for a in ACTIVITIES)
    programme.starts_on = starts_on
    session.add(programme)
    session.flush()
    _apply_defaults(session, programme, barrio_today(barrio))
    session.commit()
    return programme


def validate_pdl(session: Session, barrio: Barrio, validated_on: date) -> Programme:
    """The community validated its PDL: Fase V starts then (unless staff set its dates by hand)."""
    programme = programme_of(session, barrio)
    programme.pdl_validated_on = validated_on
    session.add(programme)
    _apply_defaults(session, programme, barrio_today(barrio))
    session.commit()
    return programme


def set_phase_dates(session: Session, barrio: Barrio, phase: Phase, dates: PhaseDates) -> None:
    programme_of(session, barrio)
    row = session.exec(select(ProgrammePhase).where(ProgrammePhase.barrio_id == barrio.id,
                                                    ProgrammePhase.phase == phase)).one()
    row.starts_on, row.ends_on, row.edited = dates.starts_on, dates.ends_on, True
    _settle(row, barrio_today(barrio))
    session.add(row)
    session.commit()


def tick(session: Session, barrio: Barrio, key: str, data: ActivityTick) -> None:
    """Staff tick (or untick) an activity: who, when, a note. Unticking clears any evidence too."""
    programme_of(session, barrio)
    if key not in BY_KEY:
        raise NotFound(f"activity {key!r} not found")
    row = session.exec(select(ProgrammeActivity).where(ProgrammeActivity.barrio_id == barrio.id,
                                                       ProgrammeActivity.key == key)).one()
    if data.done:
        if row.done_at is None:
            row.done_at, row.done_by = utcnow(), data.by or "staff"
        elif data.by:
            row.done_by = data.by
        row.note = data.note or row.note
    else:
        row.done_at = row.done_by = row.evidence = row.evidence_id = None
        row.note = data.note
    session.add(row)
    session.commit()


def activities_of(session: Session, barrio_id: int) -> dict[str, ProgrammeActivity]:
    rows = session.exec(select(ProgrammeActivity).where(ProgrammeActivity.barrio_id == barrio_id)).all()
    return {row.key: row for row in rows}


def _activity(row: ProgrammeActivity) -> ActivityPublic:
    spec = BY_KEY[row.key]
    return ActivityPublic(key=row.key, phase=row.phase, name=spec.name, done=row.done_at is not None,
                          done_at=row.done_at, done_by=row.done_by, note=row.note, evidence=row.evidence,
                          evidence_id=row.evidence_id, automatic=spec.evidence)


def timeline(session: Session, barrio: Barrio, now: datetime | None = None) -> TimelinePublic:
    """The barrio's phases with their dates, status and checklist; `active` follows today's date."""
    programme = programme_of(session, barrio)
    today = barrio_today(barrio, now)
    t = Translator("es", barrio.timezone)
    activities = activities_of(session, barrio.id or 0)
    phases = []
    for row in phases_of(session, barrio.id or 0):
        checklist = [_activity(activities[a.key]) for a in ACTIVITIES if a.phase == row.phase and a.key in activities]
        phases.append(PhasePublic(phase=row.phase, name=phase_name(t, row.phase), starts_on=row.starts_on,
                                  ends_on=row.ends_on, edited=row.edited, status=row.status,
                                  announced_at=row.announced_at, activities=checklist))
    active = [p.phase for p in phases if Span(p.starts_on, p.ends_on).status(today) == PhaseStatus.ACTIVE]
    return TimelinePublic(barrio_id=barrio.id or 0, starts_on=programme.starts_on,
                          pdl_validated_on=programme.pdl_validated_on, today=today, active=active, phases=phases)
