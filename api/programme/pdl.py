"""The PDL in SQL: problems, iniciativas, hitos, status moves (and the vecinos told), ballots from the plan.

A status moves with a conditional UPDATE (`WHERE status = old`), so the API and the
ballot job never both move one iniciativa; the move is recorded and the iniciativa's
followers (only they) are told through the outbox, keyed by the recorded change. A hito
the grupo motor reports waits (`pending`) until staff approve it, where the barrio asks
for that; approval, too, is a conditional UPDATE, so its followers are told once.
"""

from collections.abc import Iterable
from datetime import date

from sqlalchemy import delete, func, update
from sqlmodel import Session, select

from api.ballots.models import Ballot, BallotCreate, IniciativaIn
from api.ballots.store import create_ballot
from api.barrios.deps import owned
from api.barrios.models import Barrio, Ejecutor, Member, of_barrio
from api.kernel.db import saved
from api.kernel.errors import Conflict, Invalid, NotFound
from api.kernel.types import utcnow
from api.outbox.enqueue import enqueue
from api.programme.alliance_models import Contribution
from api.programme.followers import followers_of, tell_followers
from api.programme.models import Programme
from api.programme.pdl_models import (
    HitoIn,
    HitoPublic,
    IniciativaFields,
    IniciativaPublic,
    IniciativaUpdate,
    PdlBallotIn,
    PdlHito,
    PdlIniciativa,
    PdlProblem,
    PdlPublic,
    PdlStatusChange,
    PendingHito,
    ProblemIn,
    ProblemPublic,
)
from api.programme.timeline import programme_of
from api.programme.views import chat_view, hitos_of
from api.surveys.models import Survey
from conversations.programme import notices
from conversations.programme.rules import IniciativaStatus, allowed, next_statuses

STATUS_ORDER = [s.value for s in IniciativaStatus]


def add_problem(session: Session, barrio: Barrio, data: ProblemIn) -> PdlProblem:
    if data.survey_id is not None:
        of_barrio(session, Survey, data.survey_id, barrio.id or 0, "survey")
    return saved(session, PdlProblem(barrio_id=barrio.id or 0, **data.model_dump()))


def _problem_in_barrio(session: Session, barrio_id: int, problem_id: int | None) -> None:
    if problem_id is not None:
        of_barrio(session, PdlProblem, problem_id, barrio_id, "problem")


def add_iniciativa(session: Session, barrio: Barrio, data: IniciativaFields) -> PdlIniciativa:
    _problem_in_barrio(session, barrio.id or 0, data.problem_id)
    return saved(session, PdlIniciativa(barrio_id=barrio.id or 0, **data.model_dump()))


def update_iniciativa(session: Session, iniciativa: PdlIniciativa, data: IniciativaUpdate) -> PdlIniciativa:
    for name, value in data.model_dump(exclude_unset=True).items():
        if value is None and name in ("title", "description", "cost", "fosis_amount", "progress", "responsible"):
            raise Invalid(f"{name}: cannot be null")
        setattr(iniciativa, name, value)
    return saved(session, iniciativa)


def add_hito(session: Session, iniciativa: PdlIniciativa, data: HitoIn, *, pending: bool = False,
             reported_by: str | None = None) -> PdlHito:
    """A dated milestone; unless it waits for approval, the iniciativa's followers get it through the outbox."""
    hito = PdlHito(iniciativa_id=iniciativa.id or 0, pending=pending, reported_by=reported_by, **data.model_dump())
    session.add(hito)
    session.flush()
    if not pending:
        tell_followers(session, iniciativa, hito)
    session.commit()
    return hito


def report_hito(session: Session, iniciativa: PdlIniciativa, text: str, on: date,
                reported_by: str | None = None) -> bool:
    """A hito a member of the grupo motor reported from the chat; True when it waits for staff approval."""
    programme = session.get(Programme, iniciativa.barrio_id)
    pending = programme is None or programme.hitos_need_approval
    add_hito(session, iniciativa, HitoIn(on=on, text=text), pending=pending, reported_by=reported_by)
    return pending


def owned_hito(session: Session, ejecutor: Ejecutor, hito_id: int) -> PdlHito:
    """The hito if its iniciativa is in one of the caller's barrios; NotFound otherwise."""
    hito = session.get(PdlHito, hito_id)
    try:
        if hito is None:
            raise NotFound("")
        owned(session, ejecutor, PdlIniciativa, hito.iniciativa_id)
    except NotFound:
        raise NotFound(f"hito {hito_id} not found") from None
    return hito


def approve_hito(session: Session, hito: PdlHito) -> PdlHito:
    """A hito the grupo motor reported becomes visible, and goes to the iniciativa's followers (once)."""
    approved = session.execute(update(PdlHito).where(PdlHito.id == hito.id, PdlHito.pending)  # type: ignore[arg-type]
                               .values(pending=False))
    if approved.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict(f"hito {hito.id} is not waiting for approval")
    session.refresh(hito)
    iniciativa = session.get(PdlIniciativa, hito.iniciativa_id)
    assert iniciativa is not None
    tell_followers(session, iniciativa, hito)
    _tell_reporter(session, iniciativa, hito, approved=True)
    session.commit()
    return hito


def reject_hito(session: Session, hito: PdlHito) -> None:
    """Leave out a hito the grupo motor reported: it is deleted, no follower was told of it; who reported it is."""
    iniciativa = session.get(PdlIniciativa, hito.iniciativa_id)
    assert iniciativa is not None
    deleted = session.execute(delete(PdlHito).where(PdlHito.id == hito.id, PdlHito.pending))  # type: ignore[arg-type]
    if deleted.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict(f"hito {hito.id} is not waiting for approval")
    _tell_reporter(session, iniciativa, hito, approved=False)
    session.commit()


def _tell_reporter(session: Session, iniciativa: PdlIniciativa, hito: PdlHito, *, approved: bool) -> None:
    """The grupo motor member who reported the hito learns, in their language, what staff decided."""
    reporter = session.get(Member, hito.reported_by) if hito.reported_by else None
    if reporter is None or not reporter.reachable:
        return
    barrio = session.get(Barrio, iniciativa.barrio_id)
    assert barrio is not None and hito.id is not None
    shown = chat_view(session, iniciativa, with_hitos=False)
    enqueue(session, barrio=barrio, kind="hito_reviewed", ref_id=hito.id, members=[reporter],
            render=lambda t, member: notices.hito_reviewed(t, shown, member.locale, hito.text, approved))


def pending_hitos(session: Session, barrio: Barrio) -> list[PendingHito]:
    """The barrio's hitos waiting for staff approval, oldest first."""
    rows = session.exec(select(PdlHito, PdlIniciativa).join(PdlIniciativa)
                        .where(PdlIniciativa.barrio_id == barrio.id, PdlHito.pending)
                        .order_by(PdlHito.id)).all()  # type: ignore[arg-type]
    return [PendingHito(**_hito(h).model_dump(), iniciativa_id=i.id or 0, iniciativa=i.title) for h, i in rows]


def _hito(row: PdlHito) -> HitoPublic:
    return HitoPublic(id=row.id or 0, on=row.on, text=row.text, photo_url=row.photo_url, pending=row.pending)


def set_hito_approval(session: Session, barrio: Barrio, required: bool) -> None:
    """Whether the grupo motor's hitos wait for staff approval in this barrio."""
    programme = programme_of(session, barrio)
    programme.hitos_need_approval = required
    session.add(programme)
    session.commit()


def move_status(session: Session, iniciativa: PdlIniciativa, to: str, by: str = "") -> PdlStatusChange:
    """Move an iniciativa one allowed step (or to descartada) and tell its followers; Conflict otherwise.

    Does not commit: the caller's transaction holds the move, its record and the messages.
    """
    old = iniciativa.status
    if not allowed(old, to):
        options = ", ".join(next_statuses(old)) or "none"
        raise Conflict(f"iniciativa {iniciativa.id} is {old}; it may become: {options}")
    moved = session.execute(update(PdlIniciativa).where(
        PdlIniciativa.id == iniciativa.id, PdlIniciativa.status == old)  # type: ignore[arg-type]
        .values(status=to))
    if moved.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict(f"iniciativa {iniciativa.id} changed meanwhile; read it again")
    session.refresh(iniciativa)
    change = PdlStatusChange(iniciativa_id=iniciativa.id or 0, old=old, new=to, by=by)
    session.add(change)
    session.flush()
    barrio = session.get(Barrio, iniciativa.barrio_id)
    assert barrio is not None and change.id is not None
    shown = chat_view(session, iniciativa, with_hitos=False)
    enqueue(session, barrio=barrio, kind="iniciativa_status", ref_id=change.id,
            members=followers_of(session, iniciativa),
            render=lambda t, member: notices.status_changed(t, shown, member.locale, old))
    return change


def iniciativas_of(session: Session, barrio_id: int) -> list[PdlIniciativa]:
    rows = session.exec(select(PdlIniciativa).where(PdlIniciativa.barrio_id == barrio_id)
                        .order_by(PdlIniciativa.id)).all()  # type: ignore[arg-type]
    return sorted(rows, key=lambda r: (r.status == IniciativaStatus.DESCARTADA, r.id))


def contributed(session: Session, iniciativa_ids: Iterable[int]) -> dict[int, int]:
    ids = list(iniciativa_ids)
    if not ids:
        return {}
    rows = session.exec(select(Contribution.iniciativa_id, func.sum(Contribution.amount))
                        .where(Contribution.iniciativa_id.in_(ids))  # type: ignore[union-attr]
                        .group_by(Contribution.iniciativa_id)).all()
    return {iniciativa_id: int(total) for iniciativa_id, total in rows}


def describe(session: Session, row: PdlIniciativa, contributions: int | None = None) -> IniciativaPublic:
    given = contributed(session, [row.id or 0]).get(row.id or 0, 0) if contributions is None else contributions
    hitos = [_hito(h) for h in hitos_of(session, row.id or 0, with_pending=True)]
    return IniciativaPublic(**row.model_dump(exclude={"created_at", "ballot_position", "ballot_counted_at"}),
                            next_statuses=list(next_statuses(row.status)), hitos=hitos, contributions=given,
                            financing=row.fosis_amount + given)


def pdl(session: Session, barrio: Barrio) -> PdlPublic:
    problems = session.exec(select(PdlProblem).where(PdlProblem.barrio_id == barrio.id)
                            .order_by(PdlProblem.id)).all()  # type: ignore[arg-type]
    rows = iniciativas_of(session, barrio.id or 0)
    given = contributed(session, [r.id or 0 for r in rows])
    programme = session.get(Programme, barrio.id)
    return PdlPublic(barrio_id=barrio.id or 0, validated_on=programme.pdl_validated_on if programme else None,
                     hitos_need_approval=programme.hitos_need_approval if programme else True,
                     problems=[ProblemPublic(**p.model_dump()) for p in problems],
                     iniciativas=[describe(session, r, given.get(r.id or 0, 0)) for r in rows])


def ballot_from_pdl(session: Session, barrio: Barrio, data: PdlBallotIn) -> Ballot:
    """A ballot over proposed iniciativas of the PDL; each is linked to it, so its close prioritises them."""
    if data.closes_at <= utcnow():
        raise Invalid("closes_at: must be in the future")
    rows = [r for r in iniciativas_of(session, barrio.id or 0) if r.status == IniciativaStatus.PROPUESTA]
    if data.iniciativas is not None:
        wanted = set(data.iniciativas)
        rows = [r for r in rows if r.id in wanted]
        if len(rows) != len(wanted):
            raise Invalid("iniciativas: each must be a proposed iniciativa of this barrio's PDL")
    if any(r.ballot_id is not None for r in rows):
        raise Conflict("some of these iniciativas are on another ballot already")
    try:
        create = BallotCreate(
            title=data.title, method=data.method, max_choices=data.max_choices, budget=data.budget,
            opens_at=data.opens_at, closes_at=data.closes_at,
            iniciativas=[IniciativaIn(title=r.title, description=r.description[:300], ambito=r.ambito, cost=r.cost)
                         for r in rows])
    except ValueError as error:  # pydantic's ValidationError: the rules of a ballot, with these iniciativas
        raise Invalid(f"ballot: {str(error).splitlines()[-1].strip()}") from None
    ballot = create_ballot(session, barrio=barrio, data=create)
    for position, row in enumerate(rows):
        row.ballot_id, row.ballot_position = ballot.id, position
        session.add(row)
    session.commit()
    return ballot
