"""Writing the accountability log: one INSERT .. SELECT, the ejecutor found from the barrio.

Called inside the transaction that does the act, so the act and its record commit together.
"""

from sqlalchemy import insert, literal, select
from sqlmodel import Session

from api.barrios.models import Barrio
from api.kernel.types import utcnow
from api.privacy.models import Action, Actor, DataLog


def record(session: Session, *, barrio_id: int, action: Action, actor: Actor, detail: str = "",
           people: int | None = 1) -> None:
    """Log one act on the personal data of `people` people (None: not counted) in the barrio."""
    source = select(Barrio.ejecutor_id, Barrio.id, literal(str(action)), literal(str(actor)), literal(detail),
                    literal(people), literal(utcnow(), DataLog.__table__.c.at.type)).where(Barrio.id == barrio_id)
    columns = ["ejecutor_id", "barrio_id", "action", "actor", "detail", "people", "at"]
    session.execute(insert(DataLog).from_select(columns, source))


def staff_read(session: Session, *, barrio_id: int, action: Action, detail: str, people: int | None = None) -> None:
    """Log (and commit) staff downloading an export or reading a member list, before it is sent."""
    record(session, barrio_id=barrio_id, action=action, actor=Actor.STAFF, detail=detail, people=people)
    session.commit()


def exported(session: Session, barrio_id: int, detail: str) -> None:
    """Log (and commit) staff downloading an export of the barrio (`detail`: which one)."""
    staff_read(session, barrio_id=barrio_id, action=Action.STAFF_EXPORT, detail=detail)
