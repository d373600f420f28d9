"""Who follows an iniciativa: vecinos who voted for it (when its ballot is counted) or chose to in
the chat; they get its hitos through the outbox, and can stop."""

from collections.abc import Iterable

from sqlalchemy import bindparam, func
from sqlmodel import Session, select

from api.ballots.models import BallotVote, BallotVoter
from api.barrios.models import Barrio, Member
from api.kernel.types import utcnow
from api.kernel.upsert import dialect_of, per_dialect
from api.outbox.enqueue import enqueue, recipients
from api.programme.pdl_models import PdlFollower, PdlHito, PdlIniciativa
from api.programme.views import chat_view
from conversations.kernel.i18n import Translator
from conversations.kernel.members import Record
from conversations.programme import notices
from conversations.programme.texts import follow_state

_SET = per_dialect(lambda insert: (lambda statement: statement.on_conflict_do_update(
    index_elements=["iniciativa_id", "member_id"], set_={"following": statement.excluded.following}))(
    insert(PdlFollower).values(iniciativa_id=bindparam("iniciativa_id"), member_id=bindparam("member_id"),
                               following=bindparam("following"), since=bindparam("since"))))
_ADD = per_dialect(lambda insert: insert(PdlFollower).on_conflict_do_nothing(
    index_elements=["iniciativa_id", "member_id"]))


def set_following(session: Session, iniciativa_id: int, member_id: str, on: bool) -> None:
    session.connection().execute(_SET[dialect_of(session)], {
        "iniciativa_id": iniciativa_id, "member_id": member_id, "following": on, "since": utcnow()})


def is_following(session: Session, iniciativa_id: int, member_id: str) -> bool:
    row = session.get(PdlFollower, (iniciativa_id, member_id))
    return bool(row and row.following)


def follow_voters(session: Session, ballot_id: int, iniciativas: Iterable[PdlIniciativa]) -> int:
    """Each vecino who voted for an iniciativa of the ballot follows it (unless they stopped before)."""
    by_position = {row.ballot_position: row.id for row in iniciativas}
    votes = session.exec(select(BallotVoter.member_id, BallotVote.choice)
                         .join(BallotVote, BallotVote.voter_id == BallotVoter.id)  # type: ignore[arg-type]
                         .where(BallotVoter.ballot_id == ballot_id)).all()
    now = utcnow()
    rows = [{"iniciativa_id": by_position[position], "member_id": member_id, "following": True, "since": now}
            for member_id, choice in votes for position in choice if position in by_position]
    if rows:
        session.connection().execute(_ADD[dialect_of(session)], rows)
    return len(rows)


def followers_of(session: Session, iniciativa: PdlIniciativa) -> list[Member]:
    """The vecinos who follow the iniciativa and can be reached: the only ones told of its news."""
    followers = set(session.exec(select(PdlFollower.member_id).where(
        PdlFollower.iniciativa_id == iniciativa.id, PdlFollower.following)).all())
    return [m for m in recipients(session, iniciativa.barrio_id) if m.id in followers]


def tell_followers(session: Session, iniciativa: PdlIniciativa, hito: PdlHito) -> int:
    """An approved hito, to every reachable follower, in their language."""
    barrio = session.get(Barrio, iniciativa.barrio_id)
    assert barrio is not None and hito.id is not None and not hito.pending
    shown = chat_view(session, iniciativa, with_hitos=False)
    return enqueue(session, barrio=barrio, kind="hito", ref_id=hito.id, members=followers_of(session, iniciativa),
                   render=lambda t, member: notices.hito_posted(t, shown, member.locale, hito.on, hito.text,
                                                                  hito.photo_url))


def count_follows(session: Session, member_id: str) -> int:
    return session.exec(select(func.count()).select_from(PdlFollower)
                        .where(PdlFollower.member_id == member_id, PdlFollower.following)).one()


def export_follows(session: Session, member_id: str, t: Translator) -> list[Record]:
    """The iniciativas the member follows (or stopped following), for their data download."""
    rows = session.exec(select(PdlFollower, PdlIniciativa).join(PdlIniciativa)
                        .where(PdlFollower.member_id == member_id).order_by(PdlFollower.since)).all()  # type: ignore[arg-type]
    return [Record(topic=chat_view(session, row, with_hitos=False).title(t.locale), item=t.day(follow.since.date()),
                   value=follow_state(t, follow.following),
                   code=follow.following, at=follow.since) for follow, row in rows]
