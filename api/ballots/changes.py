"""Staff change their mind: edit or delete a scheduled ballot, move its times, or cancel it without results.

Each change is one conditional UPDATE on the status and the revision the caller read, so a
ballot the job opens at the same moment is not edited as if still scheduled (409 instead).
Cancelling tells only the vecinos who got the ballot or began voting; nobody gets results.
"""

from datetime import datetime

from sqlalchemy import delete, update
from sqlmodel import Session, col, select

from api.ballots.models import Ballot, BallotCreate, BallotTimes, BallotVoter, Iniciativa
from api.ballots.schedule import OPENED, REMINDER, open_notice
from api.ballots.store import add_iniciativas, ballot_fields, view
from api.barrios.models import Barrio
from api.kernel.errors import Conflict, Invalid
from api.outbox.enqueue import enqueue, recipients
from api.outbox.withdraw import told, withdraw
from conversations.ballots import notices
from conversations.ballots.ports import BallotStatus

CANCELLED, MOVED = "ballot_cancelled", "ballot_moved"


def _claim(session: Session, ballot: Ballot, statuses: tuple[str, ...], **values: object) -> None:
    """Apply `values` if the ballot is still in one of `statuses` at the revision read; Conflict otherwise."""
    result = session.execute(
        update(Ballot).where(col(Ballot.id) == ballot.id, col(Ballot.status).in_(statuses),
                             col(Ballot.revision) == ballot.revision)
        .values(revision=ballot.revision + 1, **values)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        session.rollback()
        session.refresh(ballot)
        raise Conflict(f"ballot {ballot.id} is {ballot.status}; it cannot be changed that way now")
    session.refresh(ballot)


def edit_ballot(session: Session, ballot: Ballot, data: BallotCreate, now: datetime) -> Ballot:
    """Replace everything of a ballot nobody has seen yet (scheduled), its iniciativas too."""
    _future(data.closes_at, now)
    _claim(session, ballot, (BallotStatus.SCHEDULED,), **ballot_fields(data))
    session.execute(delete(Iniciativa).where(col(Iniciativa.ballot_id) == ballot.id))
    add_iniciativas(session, ballot.id or 0, data)
    session.commit()
    return ballot


def reschedule_ballot(session: Session, ballot: Ballot, times: BallotTimes, now: datetime) -> Ballot:
    """New times for a scheduled ballot, or a new closing time for an open one (those who got it are told)."""
    _future(times.closes_at, now)
    was_open = ballot.status == BallotStatus.OPEN
    if was_open and times.opens_at is not None and times.opens_at != ballot.opens_at:
        raise Conflict(f"ballot {ballot.id} is open already: only closes_at can change")
    opens_at = times.opens_at or ballot.opens_at
    if times.closes_at <= opens_at:
        raise Invalid("closes_at: must be after opens_at")
    _claim(session, ballot, (BallotStatus.OPEN,) if was_open else (BallotStatus.SCHEDULED,),
           opens_at=opens_at, closes_at=times.closes_at)
    if was_open:
        barrio = _barrio(session, ballot)
        pending = withdraw(session, kinds=(OPENED,), ref_id=ballot.id or 0)
        open_notice(session, ballot, barrio)  # the opening message again, with the new date, for those still waiting
        shown = view(session, ballot)
        enqueue(session, barrio=barrio, kind=f"{MOVED}:{ballot.revision}", ref_id=ballot.id or 0,
                members=_among(session, barrio, told(session, kinds=(OPENED,), ref_id=ballot.id or 0) - pending),
                render=lambda t, _member: notices.moved(t, shown))
    session.commit()
    return ballot


def cancel_ballot(session: Session, ballot: Ballot, now: datetime) -> Ballot:
    """Cancel a scheduled or open ballot: no results; those who got it or began voting are told."""
    _claim(session, ballot, (BallotStatus.SCHEDULED, BallotStatus.OPEN), status=BallotStatus.CANCELLED,
           cancelled_at=now)
    ballot_id = ballot.id or 0
    withdraw(session, kinds=(OPENED, REMINDER), ref_id=ballot_id)
    voters = set(session.exec(select(BallotVoter.member_id).where(BallotVoter.ballot_id == ballot_id)).all())
    barrio = _barrio(session, ballot)
    shown = view(session, ballot)
    enqueue(session, barrio=barrio, kind=CANCELLED, ref_id=ballot_id,
            members=_among(session, barrio, told(session, kinds=(OPENED,), ref_id=ballot_id) | voters),
            render=lambda t, _member: notices.cancelled(t, shown, barrio.name))
    session.commit()
    return ballot


def delete_ballot(session: Session, ballot: Ballot) -> None:
    """Delete a ballot nobody has seen (scheduled), with its iniciativas; Conflict once it has opened."""
    result = session.execute(delete(Ballot).where(col(Ballot.id) == ballot.id,
                                                  col(Ballot.status) == BallotStatus.SCHEDULED))
    if result.rowcount != 1:  # type: ignore[attr-defined]
        session.rollback()
        raise Conflict(f"ballot {ballot.id} is {ballot.status}: only a scheduled ballot can be deleted; cancel it")
    session.commit()


def _future(closes_at: datetime, now: datetime) -> None:
    if closes_at <= now:
        raise Invalid("closes_at: must be in the future")


def _barrio(session: Session, ballot: Ballot) -> Barrio:
    barrio = session.get(Barrio, ballot.barrio_id)
    assert barrio is not None
    return barrio


def _among(session: Session, barrio: Barrio, member_ids: set[str]) -> list:  # type: ignore[type-arg]
    """Those of `member_ids` who still want messages (/salir honoured) and can be reached."""
    return [m for m in recipients(session, barrio.id or 0) if m.id in member_ids]
