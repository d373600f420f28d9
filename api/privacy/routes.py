"""The accountability log, for the ejecutor's staff: what was done with personal data in their barrios, and by whom."""

from typing import Annotated

from fastapi import APIRouter, Query

from api.barrios.deps import CurrentEjecutor
from api.kernel.deps import SessionDep
from api.kernel.errors import ERROR_RESPONSES
from api.kernel.paging import PAGED, PagingDep
from api.privacy.entries import entries
from api.privacy.models import Action, DataLogPublic

router = APIRouter(prefix="/api", tags=["privacy"], responses=ERROR_RESPONSES)


StaffId = Annotated[int | None, Query(ge=1, le=2**31 - 1, description="only this staff user's acts")]
OfKind = Annotated[Action | None, Query(description="only this kind of act")]


@router.get("/data-log", response_model=list[DataLogPublic], responses=PAGED)
def data_log(session: SessionDep, ejecutor: CurrentEjecutor, paging: PagingDep,
             staff_id: StaffId = None, action: OfKind = None) -> list[DataLogPublic]:
    """The newest acts on personal data in the caller's barrios: downloads, deletions, exports, member lists
    read, retention runs. Who (a vecino, the system, or which staff user and whether through the console or
    an API token), what, when, how many people; no vecino named (paged)."""
    newest = entries(session, ejecutor.id or 0, limit=paging.offset + paging.limit + 1, staff_id=staff_id,
                     action=action)
    return paging.page(newest)
