"""Vecinos' ideas for iniciativas: kept from the chat, read by staff, merged into the PDL or declined;
the proposer is told what became of theirs, in their language, through the outbox."""

from sqlalchemy import func, update
from sqlmodel import Session, select

from api.barrios.models import Barrio, Member, of_barrio
from api.kernel.errors import Conflict
from api.kernel.types import utcnow
from api.outbox.enqueue import enqueue
from api.programme.pdl_models import IdeaMerge, IdeaPublic, PdlIdea, PdlIniciativa
from conversations.ballots.texts import ambito
from conversations.kernel.i18n import Translator
from conversations.kernel.members import Record
from conversations.programme import notices
from conversations.programme.ports import Idea, IdeaStatus
from conversations.programme.texts import idea_outcome


def propose(session: Session, *, member_id: str, barrio_id: int, idea: Idea) -> int:
    row = PdlIdea(barrio_id=barrio_id, member_id=member_id, title=idea.title, description=idea.description,
                  ambito=idea.ambito)
    session.add(row)
    session.flush()
    assert row.id is not None
    return row.id


def blank_descriptions(session: Session, barrio_id: int) -> None:
    """At retention: the vecinos' own explanations of their ideas go (they may name people); each idea's
    title, its ámbito and what became of it stay, as the PDL's record of what was proposed."""
    session.execute(update(PdlIdea).where(PdlIdea.barrio_id == barrio_id).values(description=""))  # type: ignore[arg-type]


def ideas_of(session: Session, barrio: Barrio) -> list[IdeaPublic]:
    rows = session.exec(select(PdlIdea).where(PdlIdea.barrio_id == barrio.id).order_by(PdlIdea.id)).all()  # type: ignore[arg-type]
    return [describe_idea(row) for row in rows]


def describe_idea(row: PdlIdea) -> IdeaPublic:
    return IdeaPublic(**row.model_dump(exclude={"member_id", "barrio_id"}))


def _decide(session: Session, idea: PdlIdea, to: IdeaStatus, iniciativa_id: int | None) -> None:
    decided = session.execute(update(PdlIdea).where(PdlIdea.id == idea.id,  # type: ignore[arg-type]
                                                    PdlIdea.status == IdeaStatus.NUEVA)  # type: ignore[arg-type]
                              .values(status=to, iniciativa_id=iniciativa_id, decided_at=utcnow()))
    if decided.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict(f"idea {idea.id} was decided already ({idea.status})")
    session.refresh(idea)
    barrio, member = session.get(Barrio, idea.barrio_id), session.get(Member, idea.member_id)
    assert barrio is not None and idea.id is not None
    if member is not None and member.reachable:
        enqueue(session, barrio=barrio, kind="idea_outcome", ref_id=idea.id, members=[member],
                render=lambda t, _member: notices.idea_decided(t, idea.title, to == IdeaStatus.INCORPORADA,
                                                               iniciativa_id))
    session.commit()


def merge(session: Session, idea: PdlIdea, data: IdeaMerge) -> PdlIdea:
    """Into an iniciativa of the barrio's PDL, or a new propuesta made from the idea."""
    if idea.status != IdeaStatus.NUEVA:
        raise Conflict(f"idea {idea.id} was decided already ({idea.status})")
    if data.iniciativa_id is not None:
        target = of_barrio(session, PdlIniciativa, data.iniciativa_id, idea.barrio_id, "iniciativa")
    else:
        target = PdlIniciativa(barrio_id=idea.barrio_id, title=idea.title, description=idea.description,
                               ambito=idea.ambito)
        session.add(target)
        session.flush()
    _decide(session, idea, IdeaStatus.INCORPORADA, target.id)
    return idea


def decline(session: Session, idea: PdlIdea) -> PdlIdea:
    _decide(session, idea, IdeaStatus.DESCARTADA, None)
    return idea


def count_ideas(session: Session, member_id: str) -> int:
    return session.exec(select(func.count()).select_from(PdlIdea).where(PdlIdea.member_id == member_id)).one()


def export_ideas(session: Session, member_id: str, t: Translator) -> list[Record]:
    """The ideas the member proposed and what became of them, for their data download."""
    rows = session.exec(select(PdlIdea).where(PdlIdea.member_id == member_id).order_by(PdlIdea.id)).all()  # type: ignore[arg-type]
    return [Record(topic=idea.title, item=ambito(t, idea.ambito), code=idea.status, at=idea.created_at,
                   value=f"{idea.description} ({idea_outcome(t, idea.status)})") for idea in rows]
