"""Staff users through the API: the admin creates an organisation's first user; staff manage colleagues
and their own API tokens (created, listed without the secret, revoked), as in the console."""

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Response, status

from api.barrios.deps import CurrentEjecutor
from api.barrios.models import Ejecutor
from api.kernel.deps import AdminDep, Credentials, Id, SessionDep
from api.kernel.errors import ERROR_RESPONSES, NotFound
from api.kernel.paging import PAGED, PagingDep
from api.staff.models import (
    StaffCreate,
    StaffPublic,
    StaffTokenCreate,
    StaffTokenCreated,
    StaffTokenPublic,
    StaffUser,
)
from api.staff.store import (
    add_staff,
    colleague,
    colleagues,
    create_token,
    revoke_token,
    set_active,
    staff_of_token,
    tokens,
)

router = APIRouter(prefix="/api", tags=["staff"], responses=ERROR_RESPONSES)


@router.post("/ejecutores/{ejecutor_id}/staff", status_code=status.HTTP_201_CREATED, response_model=StaffPublic)
def add_first_staff(ejecutor_id: Id, data: StaffCreate, session: SessionDep, _admin: AdminDep) -> StaffUser:
    """Create a staff user of any ejecutor (admin only): how an organisation gets its first one."""
    ejecutor = session.get(Ejecutor, ejecutor_id)
    if ejecutor is None:
        raise NotFound(f"ejecutor {ejecutor_id} not found")
    return add_staff(session, ejecutor=ejecutor, **data.model_dump())


@router.get("/staff", response_model=list[StaffPublic], responses=PAGED)
def list_staff(session: SessionDep, ejecutor: CurrentEjecutor, paging: PagingDep) -> list[StaffUser]:
    """The caller's organisation's staff users (never their password hashes; paged)."""
    return paging.page(colleagues(session, ejecutor.id or 0))


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


def staff_caller(credentials: Credentials, _ejecutor: CurrentEjecutor, session: SessionDep) -> StaffUser | None:
    """The staff user whose token calls; None for an organisation's own token, which has no user."""
    return staff_of_token(session, credentials.credentials) if credentials else None


def current_staff(user: Annotated[StaffUser | None, Depends(staff_caller)]) -> StaffUser:
    if user is None:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "use a staff user's token: the organisation's own token "
                                                       "has no tokens of its own")
    return user


CurrentStaff = Annotated[StaffUser, Depends(current_staff)]


@router.get("/tokens", response_model=list[StaffTokenPublic], responses=PAGED)
def list_tokens(session: SessionDep, user: CurrentStaff, paging: PagingDep) -> list[StaffTokenPublic]:
    """The caller's API tokens, by name and date; the secret is never shown again (paged)."""
    return [StaffTokenPublic(**row.model_dump()) for row in paging.page(tokens(session, user))]


@router.post("/tokens", status_code=status.HTTP_201_CREATED, response_model=StaffTokenCreated)
def add_token(data: StaffTokenCreate, session: SessionDep, user: CurrentStaff) -> StaffTokenCreated:
    """A new API token of the caller: the secret is in this answer only (only its hash is kept)."""
    row, token = create_token(session, user, data.label)
    return StaffTokenCreated(**row.model_dump(), token=token)


@router.delete("/tokens/{token_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_token(token_id: Id, session: SessionDep,
                 user: Annotated[StaffUser | None, Depends(staff_caller)]) -> Response:
    """Revoke one of the caller's tokens (another's answers 404); it stops working at once."""
    if user is None:
        raise NotFound(f"token {token_id} not found")
    revoke_token(session, user, token_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
