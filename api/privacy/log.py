"""Writing the accountability log: one INSERT .. SELECT, the ejecutor found from the barrio.

Called inside the transaction that does the act, so the act and its record commit together.
"""

from sqlalchemy import insert, literal, select
from sqlmodel import Session

from api.barrios.models import Barrio
from api.kernel.types import utcnow
from api.privacy.models import Action, Actor, DataLog


def record(session: Session, *, barrio_id: int, action: Action, actor: Actor, detail: str = "",
           people: int = 1) -> None:
    """Log one act on the personal data of `people` people in the barrio."""
    source = select(Barrio.ejecutor_id, Barrio.id, literal(str(action)), literal(str(actor)), literal(detail),
                    literal(people), literal(utcnow(), DataLog.__table__.c.at.type)).where(Barrio.id == barrio_id)
    columns = ["ejecutor_id", "barrio_id", "action", "actor", "detail", "people", "at"]
    session.execute(insert(DataLog).from_select(columns, source))
