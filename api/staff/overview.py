"""What a staff user sees first: each of the organisation's barrios at a glance, in a fixed number of queries.

Members, open surveys and ballots, and the next convocatoria are counted for every barrio
at once (one grouped statement each), so 200 barrios cost what 2 do.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from api.ballots.models import Ballot
from api.barrios.models import Barrio
from api.barrios.store import member_counts
from api.convocatorias.models import Convocatoria
from api.kernel.types import utcnow
from api.surveys.models import Survey
from conversations.ballots.ports import BallotStatus
from conversations.surveys.ports import SurveyStatus


@dataclass(frozen=True)
class BarrioCard:
    id: int
    name: str
    comuna: str
    region: str
    timezone: str
    members: int
    open_surveys: int
    open_ballots: int
    next_convocatoria: str | None
    next_convocatoria_at: datetime | None


def barrio_cards(session: Session, ejecutor_id: int, now: datetime | None = None) -> list[BarrioCard]:
    now = now or utcnow()
    barrios = session.exec(select(Barrio).where(Barrio.ejecutor_id == ejecutor_id).order_by(col(Barrio.name))).all()
    ids = [b.id for b in barrios if b.id is not None]
    members = member_counts(session, ids)
    surveys = _counts(session, Survey, ids, col(Survey.status) == SurveyStatus.OPEN)
    ballots = _counts(session, Ballot, ids, col(Ballot.status) == BallotStatus.OPEN)
    soonest = (select(Convocatoria.barrio_id, func.min(Convocatoria.starts_at).label("at"))
               .where(col(Convocatoria.barrio_id).in_(ids), col(Convocatoria.starts_at) > now)
               .group_by(col(Convocatoria.barrio_id)).subquery())
    upcoming = {row.barrio_id: row for row in session.exec(
        select(Convocatoria.barrio_id, Convocatoria.title, Convocatoria.starts_at)
        .join(soonest, (soonest.c.barrio_id == Convocatoria.barrio_id) & (soonest.c.at == Convocatoria.starts_at))
    ).all()} if ids else {}
    return [BarrioCard(id=b.id or 0, name=b.name, comuna=b.comuna, region=b.region, timezone=b.timezone,
                       members=members.get(b.id or 0, 0), open_surveys=surveys.get(b.id or 0, 0),
                       open_ballots=ballots.get(b.id or 0, 0),
                       next_convocatoria=upcoming[b.id].title if b.id in upcoming else None,
                       next_convocatoria_at=upcoming[b.id].starts_at if b.id in upcoming else None)
            for b in barrios]


def _counts(session: Session, model: type[Survey] | type[Ballot], ids: list[int], where: object) -> dict[int, int]:
    if not ids:
        return {}
    rows = session.exec(select(model.barrio_id, func.count()).where(  # type: ignore[call-overload]
        col(model.barrio_id).in_(ids), where).group_by(model.barrio_id)).all()
    return dict(rows)
