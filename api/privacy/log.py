"""Writing the accountability log: one INSERT .. SELECT, the ejecutor found from the barrio.

Called inside the transaction that does the act, so the act and its record commit together.
A staff act names the staff user (`StaffActor`): who read or downloaded what, not only which
organisation.
"""

from sqlalchemy import insert, literal, select
from sqlmodel import Session

from api.barrios.models import Barrio
from api.kernel.types import utcnow
from api.privacy.models import Action, Actor, DataLog, StaffActor


def record(session: Session, *, barrio_id: int, action: Action, actor: Actor, detail: str = "",
           people: int | None = 1, by: StaffActor | None = None) -> None:
    """Log one act on the personal data of `people` people (None: not counted) in the barrio."""
    source = select(Barrio.ejecutor_id, Barrio.id, literal(str(action)), literal(str(actor)),
                    literal(by.staff_id if by else None, DataLog.__table__.c.staff_id.type),
                    literal(str(by.via) if by else None, DataLog.__table__.c.via.type), literal(detail),
                    literal(people), literal(utcnow(), DataLog.__table__.c.at.type)).where(Barrio.id == barrio_id)
    columns = ["ejecutor_id", "barrio_id", "action", "actor", "staff_id", "via", "detail", "people", "at"]
    session.execute(insert(DataLog).from_select(columns, source))


def staff_read(session: Session, *, barrio_id: int, action: Action, detail: str, by: StaffActor,
               people: int | None = None) -> None:
    """Log (and commit) a staff user downloading an export or reading a member list, before it is sent."""
    record(session, barrio_id=barrio_id, action=action, actor=Actor.STAFF, detail=detail, people=people, by=by)
    session.commit()


def exported(session: Session, barrio_id: int, detail: str, by: StaffActor) -> None:
    """Log (and commit) a staff user downloading an export of the barrio (`detail`: which one)."""
    staff_read(session, barrio_id=barrio_id, action=Action.STAFF_EXPORT, detail=detail, by=by)


def exported_all(session: Session, ejecutor_id: int, detail: str, by: StaffActor) -> None:
    """Log (and commit) a staff user downloading an export over all the organisation's barrios."""
    session.execute(insert(DataLog).values(
        ejecutor_id=ejecutor_id, barrio_id=None, action=str(Action.STAFF_EXPORT), actor=str(Actor.STAFF),
        staff_id=by.staff_id, via=str(by.via), detail=detail, people=None, at=utcnow()))
    session.commit()
