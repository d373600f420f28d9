"""Ballots open and close by themselves, and unconfirmed voters get one reminder.

`ballot_job(engine, now)` runs in every server process (api.kernel.jobs). Each transition is a
conditional UPDATE on the status, so only the process whose UPDATE matched a row
enqueues the messages; the outbox's (kind, ref_id, member) uniqueness covers the rest.
Opening or closing early through the API uses the same functions.

A ballot's results go to every member of the barrio, possibly 20,000 of them: they are
queued after the close has committed, in batches of their own transactions
(`queue_results`), so SQLite's one writer is never held for seconds. The ballot records
when that finished; the job completes a ballot closed without it (a crash midway).
"""

import logging
from datetime import datetime, timedelta

from sqlalchemy import Engine, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from api.ballots.models import Ballot, BallotVote, BallotVoter
from api.ballots.store import barrio_members, choices, view
from api.barrios.models import Barrio, Member
from api.kernel.db import session_scope
from api.outbox.enqueue import enqueue, enqueue_in_batches, recipients
from conversations.ballots import notices as ballots_notices
from conversations.ballots.ports import BallotStatus
from conversations.ballots.rules import tally

log = logging.getLogger(__name__)

OPENED, REMINDER = "ballot_open", "ballot_reminder"  # their outbox kinds
REMINDER_BEFORE = timedelta(hours=24)  # or a quarter of the voting time, when that is shorter


def _transition(session: Session, ballot: Ballot, *, to: str, from_: tuple[str, ...], now: datetime) -> bool:
    stamp = {"opened_at": now} if to == BallotStatus.OPEN else {"closed_at": now}
    result = session.execute(
        update(Ballot).where(Ballot.id == ballot.id, Ballot.status.in_(from_))  # type: ignore[arg-type,attr-defined]
        .values(status=to, **stamp)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        return False
    session.refresh(ballot)
    return True


def open_ballot(session: Session, ballot: Ballot, now: datetime) -> bool:
    """Open a scheduled ballot and tell the barrio; False when it was not scheduled."""
    if not _transition(session, ballot, to=BallotStatus.OPEN, from_=(BallotStatus.SCHEDULED,), now=now):
        return False
    barrio = session.get(Barrio, ballot.barrio_id)
    assert barrio is not None
    open_notice(session, ballot, barrio)
    return True


def open_notice(session: Session, ballot: Ballot, barrio: Barrio) -> int:
    """"Nueva votación" to every member who has not had it yet; how many were queued."""
    assert ballot.id is not None
    shown = view(session, ballot)
    return enqueue(session, barrio=barrio, kind=OPENED, ref_id=ballot.id,
                   render=lambda t, _member: ballots_notices.opened(t, shown, barrio.name))


def close_ballot(session: Session, ballot: Ballot, now: datetime) -> bool:
    """Close the ballot; False when it was closed already. Once that is committed, `queue_results`
    sends everyone the results."""
    return _transition(session, ballot, to=BallotStatus.CLOSED,
                       from_=(BallotStatus.SCHEDULED, BallotStatus.OPEN), now=now)


def queue_results(engine: Engine, ballot_id: int, now: datetime) -> int:
    """Queue the results of a closed ballot to every member, in batches; how many were queued."""
    with Session(engine) as session:
        ballot = session.get(Ballot, ballot_id)
        if ballot is None or ballot.status != BallotStatus.CLOSED or ballot.results_queued_at is not None:
            return 0
        shown = view(session, ballot)
        counted = tally(shown.rules, shown.options, [c for _, c in choices(session, ballot_id)])
        members = barrio_members(session, ballot.barrio_id)
        barrio_id = ballot.barrio_id
    queued = enqueue_in_batches(engine, barrio_id=barrio_id, kind="ballot_results", ref_id=ballot_id,
                                render=lambda t: ballots_notices.results(t, shown, counted, members))
    with session_scope(engine) as session:
        session.execute(update(Ballot).where(Ballot.id == ballot_id, Ballot.results_queued_at.is_(None))  # type: ignore[arg-type,union-attr]
                        .values(results_queued_at=now))
    return queued


def remind_unconfirmed(session: Session, ballot: Ballot) -> int:
    """One reminder to each reachable member who started choosing and never confirmed."""
    assert ballot.id is not None
    barrio = session.get(Barrio, ballot.barrio_id)
    assert barrio is not None
    confirmed = select(BallotVote.voter_id).where(BallotVote.ballot_id == ballot.id)
    started = session.exec(
        select(Member).join(BallotVoter, BallotVoter.member_id == Member.id)  # type: ignore[arg-type]
        .where(BallotVoter.ballot_id == ballot.id, BallotVoter.id.not_in(confirmed))  # type: ignore[attr-defined]
    ).all()
    reachable = {m.id for m in recipients(session, barrio.id or 0)}
    shown = view(session, ballot)
    return enqueue(session, barrio=barrio, kind=REMINDER, ref_id=ballot.id,
                   members=[m for m in started if m.id in reachable],
                   render=lambda t, _member: ballots_notices.reminder(t, shown))


def reminder_time(ballot: Ballot) -> datetime:
    return ballot.closes_at - min(REMINDER_BEFORE, (ballot.closes_at - ballot.opens_at) / 4)


def ballot_job(engine: Engine, now: datetime) -> None:
    """Open what is due, close what is over (then queue its results), remind before the close; each
    ballot in its own transactions."""
    with Session(engine) as session:
        due = session.exec(select(Ballot.id, Ballot.status, Ballot.opens_at, Ballot.closes_at)
                           .where(Ballot.status.in_((BallotStatus.SCHEDULED, BallotStatus.OPEN)))).all()  # type: ignore[arg-type,attr-defined]
        unsent = session.exec(select(Ballot.id).where(Ballot.status == BallotStatus.CLOSED,  # type: ignore[arg-type]
                                                      Ballot.results_queued_at.is_(None))).all()  # type: ignore[union-attr]
    for ballot_id, status, opens_at, closes_at in due:
        try:
            with session_scope(engine) as session:
                ballot = session.get(Ballot, ballot_id)
                if ballot is None:
                    continue
                if closes_at <= now:
                    close_ballot(session, ballot, now)
                elif status == BallotStatus.SCHEDULED and opens_at <= now:
                    open_ballot(session, ballot, now)
                elif status == BallotStatus.OPEN and reminder_time(ballot) <= now:
                    remind_unconfirmed(session, ballot)
        except IntegrityError:  # another process enqueued the same messages first: nothing lost
            log.info("ballot %s: concurrent job run, skipped", ballot_id)
        except Exception:
            log.exception("ballot %s: scheduled transition failed; retried on the next run", ballot_id)
    closed_now = [ballot_id for ballot_id, _, _, closes_at in due if closes_at <= now]
    for ballot_id in dict.fromkeys([*unsent, *closed_now]):
        try:
            queue_results(engine, ballot_id, now)
        except Exception:
            log.exception("ballot %s: queuing the results failed; retried on the next run", ballot_id)

