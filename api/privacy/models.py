"""The accountability log (responsabilidad, Ley 21.719): what was done with personal data, and when.

One row per act on personal data — a vecino downloading or deleting their data, or
withholding their answers; staff downloading an export or reading a member list; the
retention job cutting a barrio's links. The log itself holds no personal data: no member
id, no chat id, only the barrio, the kind of act, who did it (a vecino, the system, or the
ejecutor's staff: which staff user, through the console or an API token) and how many people
it touched. Staff are named so that an organisation can show who among its people read what.
"""

from dataclasses import dataclass
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


class Via(StrEnum):
    CONSOLE = "console"  # a staff user logged in to the web console
    API = "api"  # an API token: a staff user's, or the organisation's own (then no staff user)


@dataclass(frozen=True)
class StaffActor:
    """Which staff user did it, and how; `staff_id` None: the organisation's own API token."""

    staff_id: int | None
    via: Via


class DataLog(SQLModel, table=True):
    __tablename__ = "data_log"

    id: int | None = Field(default=None, primary_key=True)
    ejecutor_id: int = Field(foreign_key="ejecutor.id", index=True, ondelete="CASCADE")
    barrio_id: int | None = Field(default=None, foreign_key="barrio.id", ondelete="SET NULL")
    action: str = Field(max_length=24)
    actor: str = Field(max_length=8)
    staff_id: int | None = Field(default=None, foreign_key="staff_user.id", index=True, ondelete="SET NULL")
    via: str | None = Field(default=None, max_length=8)  # a staff act: console or api
    detail: str = Field(default="", max_length=200)  # e.g. "ballot 3 csv"; never a person
    people: int | None = 1  # how many people's data the act touched (None: not counted, e.g. an export)
    at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False, index=True))


class DataLogPublic(SQLModel):
    id: int
    barrio_id: int | None
    barrio_name: str | None = None
    action: Action
    actor: Actor
    staff_id: int | None = Field(default=None, description="the staff user who did it (actor staff); null for "
                                                            "the organisation's own API token")
    staff_name: str | None = None
    via: Via | None = Field(default=None, description="console or api, for staff acts")
    detail: str
    people: int | None
    at: datetime
