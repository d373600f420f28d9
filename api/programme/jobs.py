"""The programme's periodic job: phases follow their dates, evidence ticks activities, closed ballots
prioritise the PDL's iniciativas.

Runs in every server process (api.kernel.jobs). A phase moves with a conditional UPDATE
on its status, and its start is claimed with a conditional UPDATE on `announced_at`: only
the process whose UPDATE matched queues the announcement (the outbox's (kind, ref_id,
member) uniqueness covers the rest). Iniciativas move the same way (api/programme/pdl.py).
"""

import logging
from datetime import datetime

from sqlalchemy import Engine, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from api.ballots.models import Ballot
from api.ballots.store import choices, view
from api.barrios.models import Barrio
from api.kernel.db import session_scope
from api.kernel.errors import Conflict
from api.outbox.enqueue import enqueue
from api.programme.evidence import tick_by_evidence
from api.programme.followers import follow_voters
from api.programme.models import ProgrammePhase
from api.programme.pdl import move_status
from api.programme.pdl_models import PdlIniciativa
from api.programme.timeline import barrio_today, local_day
from conversations.ballots.ports import BallotStatus
from conversations.ballots.rules import tally
from conversations.programme import notices
from conversations.programme.phases import PhaseStatus, Span
from conversations.programme.rules import IniciativaStatus, prioritised

log = logging.getLogger(__name__)


def advance_phase(session: Session, phase: ProgrammePhase, barrio: Barrio, now: datetime) -> bool:
    """Bring the phase's status to what its dates say; announce its start once. True if it moved."""
    wanted = Span(phase.starts_on, phase.ends_on).status(barrio_today(barrio, now))
    if wanted == phase.status:
        return False
    moved = session.execute(update(ProgrammePhase).where(
        ProgrammePhase.id == phase.id, ProgrammePhase.status == phase.status)  # type: ignore[arg-type]
        .values(status=wanted))
    if moved.rowcount != 1:  # type: ignore[attr-defined]
        return False  # another process moved it first
    if wanted == PhaseStatus.ACTIVE:
        claimed = session.execute(update(ProgrammePhase).where(
            ProgrammePhase.id == phase.id, ProgrammePhase.announced_at.is_(None))  # type: ignore[arg-type,union-attr]
            .values(announced_at=now))
        if claimed.rowcount == 1:  # type: ignore[attr-defined]
            assert phase.id is not None
            enqueue(session, barrio=barrio, kind="phase_start", ref_id=phase.id,
                    render=lambda t, _member: notices.phase_started(
                        t, barrio=barrio.name, phase=phase.phase, ends_on=phase.ends_on))
    return True


def prioritise_from_ballot(session: Session, ballot: Ballot, now: datetime) -> int:
    """The PDL iniciativas a closed ballot selected become priorizadas; how many moved.

    The ballot's iniciativas are claimed first (`ballot_counted_at`, a conditional UPDATE),
    so a second process, or the next run, finds nothing left to do.
    """
    assert ballot.id is not None
    claimed = session.execute(update(PdlIniciativa).where(
        PdlIniciativa.ballot_id == ballot.id, PdlIniciativa.ballot_counted_at.is_(None))  # type: ignore[arg-type,union-attr]
        .values(ballot_counted_at=now))
    if claimed.rowcount == 0:  # type: ignore[attr-defined]
        return 0
    shown = view(session, ballot)
    counted = tally(shown.rules, shown.options, [c for _, c in choices(session, ballot.id)])
    chosen = prioritised(shown.rules, counted)
    linked = session.exec(select(PdlIniciativa).where(PdlIniciativa.ballot_id == ballot.id)).all()
    follow_voters(session, ballot.id, linked)
    moved = 0
    for row in linked:
        if row.ballot_position in chosen and row.status == IniciativaStatus.PROPUESTA:
            try:
                move_status(session, row, IniciativaStatus.PRIORIZADA, by="votación")
                moved += 1
            except Conflict:  # moved meanwhile by staff
                continue
    return moved


def programme_job(engine: Engine, now: datetime) -> None:
    """Phases, ballots, evidence; only what is due opens a transaction of its own."""
    with Session(engine) as session:
        rows = session.exec(select(ProgrammePhase.id, ProgrammePhase.barrio_id, ProgrammePhase.starts_on,
                                   ProgrammePhase.ends_on, ProgrammePhase.status, Barrio.timezone)
                            .join(Barrio, Barrio.id == ProgrammePhase.barrio_id)).all()  # type: ignore[arg-type]
        ballots = session.exec(select(Ballot.id).where(
            Ballot.status == BallotStatus.CLOSED,
            Ballot.id.in_(select(PdlIniciativa.ballot_id)  # type: ignore[union-attr]
                          .where(PdlIniciativa.ballot_counted_at.is_(None))))).all()  # type: ignore[union-attr]
    due = [(phase_id, barrio_id) for phase_id, barrio_id, starts_on, ends_on, status, zone in rows
           if Span(starts_on, ends_on).status(local_day(zone, now)) != status]
    for phase_id, barrio_id in due:
        _safely(engine, f"phase {phase_id}", lambda s, p=phase_id, b=barrio_id: _advance(s, p, b, now))
    for ballot_id in ballots:
        _safely(engine, f"ballot {ballot_id}", lambda s, b=ballot_id: _prioritise(s, b, now))
    try:
        with engine.begin() as connection:
            tick_by_evidence(connection, now)
    except Exception:
        log.exception("programme evidence: failed; retried on the next run")


def _advance(session: Session, phase_id: int, barrio_id: int, now: datetime) -> None:
    phase, barrio = session.get(ProgrammePhase, phase_id), session.get(Barrio, barrio_id)
    if phase is not None and barrio is not None:
        advance_phase(session, phase, barrio, now)


def _prioritise(session: Session, ballot_id: int, now: datetime) -> None:
    ballot = session.get(Ballot, ballot_id)
    if ballot is not None:
        prioritise_from_ballot(session, ballot, now)


def _safely(engine: Engine, what: str, work) -> None:  # type: ignore[no-untyped-def]
    try:
        with session_scope(engine) as session:
            work(session)
    except IntegrityError:  # another process enqueued the same messages first: nothing lost
        log.info("%s: concurrent job run, skipped", what)
    except Exception:
        log.exception("%s: programme job failed; retried on the next run", what)
