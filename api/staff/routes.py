"""Staff users through the API: the admin creates an organisation's first user; staff manage colleagues."""

from fastapi import APIRouter, status

from api.barrios.deps import CurrentEjecutor
from api.barrios.models import Ejecutor
from api.kernel.deps import AdminDep, Id, SessionDep
from api.kernel.errors import ERROR_RESPONSES, NotFound
from api.staff.models import StaffCreate, StaffPublic, StaffUser
from api.staff.store import add_staff, colleague, colleagues, set_active

router = APIRouter(prefix="/api", tags=["staff"], responses=ERROR_RESPONSES)


@router.post("/ejecutores/{ejecutor_id}/staff", status_code=status.HTTP_201_CREATED, response_model=StaffPublic)
def add_first_staff(ejecutor_id: Id, data: StaffCreate, session: SessionDep, _admin: AdminDep) -> StaffUser:
    """Create a staff user of any ejecutor (admin only): how an organisation gets its first one."""
    ejecutor = session.get(Ejecutor, ejecutor_id)
    if ejecutor is None:
        raise NotFound(f"ejecutor {ejecutor_id} not found")
    return add_staff(session, ejecutor=ejecutor, **data.model_dump())


@router.get("/staff", response_model=list[StaffPublic])
def list_staff(session: SessionDep, ejecutor: CurrentEjecutor) -> list[StaffUser]:
    """The caller's organisation's staff users (never their password hashes)."""
    return colleagues(session, ejecutor.id or 0)


@router.post("/staff", status_code=status.HTTP_201_CREATED, response_model=StaffPublic)
def add_colleague(data: StaffCreate, session: SessionDep, ejecutor: CurrentEjecutor) -> StaffUser:
    """Add a colleague to the caller's organisation."""
    return add_staff(session, ejecutor=ejecutor, **data.model_dump())


@router.post("/staff/{staff_id}/deactivate", response_model=StaffPublic)
def deactivate(staff_id: Id, session: SessionDep, ejecutor: CurrentEjecutor) -> StaffUser:
    """Deactivate a colleague: their sessions and tokens stop working at once."""
    return set_active(session, colleague(session, ejecutor.id or 0, staff_id), False)


@router.post("/staff/{staff_id}/activate", response_model=StaffPublic)
def activate(staff_id: Id, session: SessionDep, ejecutor: CurrentEjecutor) -> StaffUser:
    """Let a deactivated colleague log in again."""
    return set_active(session, colleague(session, ejecutor.id or 0, staff_id), True)
