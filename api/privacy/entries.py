"""Reading the accountability log, for the organisation's staff: the API route and the console page.

Each entry names the barrio and, for a staff act, the staff user (joined by id, so a renamed
user shows their current name); the newest first.
"""

from sqlmodel import Session, col, select

from api.barrios.models import Barrio
from api.privacy.models import Action, DataLog, DataLogPublic
from api.staff.models import StaffUser


def entries(session: Session, ejecutor_id: int, *, limit: int = 200, staff_id: int | None = None,
            action: Action | None = None) -> list[DataLogPublic]:
    """The organisation's newest acts on personal data, optionally only one staff user's or one kind."""
    query = (select(DataLog, StaffUser.name, Barrio.name)
             .outerjoin(StaffUser, col(StaffUser.id) == col(DataLog.staff_id))
             .outerjoin(Barrio, col(Barrio.id) == col(DataLog.barrio_id))
             .where(DataLog.ejecutor_id == ejecutor_id))
    if staff_id is not None:
        query = query.where(DataLog.staff_id == staff_id)
    if action is not None:
        query = query.where(DataLog.action == action)
    rows = session.exec(query.order_by(col(DataLog.id).desc()).limit(limit)).all()
    return [DataLogPublic.model_validate(row, update={"staff_name": staff_name, "barrio_name": barrio_name})
            for row, staff_name, barrio_name in rows]
