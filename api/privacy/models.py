"""The accountability log (responsabilidad, Ley 21.719): what was done with personal data, and when.

One row per act on personal data — a vecino downloading or deleting their data, or
withholding their answers; staff downloading an export or reading a member list; the
retention job cutting a barrio's links. The log itself holds no personal data: no member
id, no chat id, only the barrio, the kind of act, who did it (a vecino, the ejecutor's
staff, the system) and how many people it touched.
"""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column
from sqlmodel import Field, SQLModel

from api.kernel.types import UTCDateTime, utcnow


class Action(StrEnum):
    VECINO_DOWNLOAD = "vecino_download"  # a vecino downloaded their own data (portability)
    VECINO_DELETE = "vecino_delete"  # a vecino deleted everything (/borrar)
    VECINO_WITHHOLD = "vecino_withhold"  # a vecino asked that their answers not be used (opposition)
    VECINO_RELEASE = "vecino_release"  # ... and undid it
    STAFF_EXPORT = "staff_export"  # staff downloaded results or anonymous rows
    STAFF_MEMBER_LIST = "staff_member_list"  # staff read a barrio's member list
    RETENTION = "retention"  # the programme ended long enough ago: every personal link cut


class Actor(StrEnum):
    VECINO = "vecino"
    STAFF = "staff"
    SYSTEM = "system"


class DataLog(SQLModel, table=True):
    __tablename__ = "data_log"

    id: int | None = Field(default=None, primary_key=True)
    ejecutor_id: int = Field(foreign_key="ejecutor.id", index=True, ondelete="CASCADE")
    barrio_id: int | None = Field(default=None, foreign_key="barrio.id", ondelete="SET NULL")
    action: str = Field(max_length=24)
    actor: str = Field(max_length=8)
    detail: str = Field(default="", max_length=200)  # e.g. "ballot 3 csv"; never a person
    people: int | None = 1  # how many people's data the act touched (None: not counted, e.g. an export)
    at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False, index=True))


class DataLogPublic(SQLModel):
    id: int
    barrio_id: int | None
    action: Action
    actor: Actor
    detail: str
    people: int | None
    at: datetime
