"""The accountability log, for the ejecutor's staff: what was done with personal data in their barrios."""

from typing import Annotated

from fastapi import APIRouter, Query
from sqlmodel import col, select

from api.barrios.deps import CurrentEjecutor
from api.kernel.deps import SessionDep
from api.kernel.errors import ERROR_RESPONSES
from api.privacy.models import DataLog, DataLogPublic

router = APIRouter(prefix="/api", tags=["privacy"], responses=ERROR_RESPONSES)


@router.get("/data-log", response_model=list[DataLogPublic])
def data_log(session: SessionDep, ejecutor: CurrentEjecutor,
             limit: Annotated[int, Query(ge=1, le=1000)] = 200) -> list[DataLog]:
    """The newest acts on personal data in the caller's barrios: downloads, deletions, exports,
    member lists read, retention runs. Who (vecino, staff, system), when, how many people; no one named."""
    return list(session.exec(
        select(DataLog).where(DataLog.ejecutor_id == ejecutor.id).order_by(col(DataLog.id).desc()).limit(limit)
    ).all())
