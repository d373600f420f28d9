"""The accountability log, for the ejecutor's staff: what was done with personal data in their barrios."""

from fastapi import APIRouter
from sqlmodel import col, select

from api.barrios.deps import CurrentEjecutor
from api.kernel.deps import SessionDep
from api.kernel.errors import ERROR_RESPONSES
from api.kernel.paging import PAGED, PagingDep
from api.privacy.models import DataLog, DataLogPublic

router = APIRouter(prefix="/api", tags=["privacy"], responses=ERROR_RESPONSES)


@router.get("/data-log", response_model=list[DataLogPublic], responses=PAGED)
def data_log(session: SessionDep, ejecutor: CurrentEjecutor, paging: PagingDep) -> list[DataLog]:
    """The newest acts on personal data in the caller's barrios: downloads, deletions, exports,
    member lists read, retention runs. Who (vecino, staff, system), when, how many people; no one named (paged)."""
    return paging.rows(session, select(DataLog).where(DataLog.ejecutor_id == ejecutor.id)
                       .order_by(col(DataLog.id).desc()))
