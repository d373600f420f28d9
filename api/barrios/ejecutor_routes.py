"""Ejecutores: created by the admin, each with its own API token."""

from fastapi import APIRouter, status
from sqlmodel import select

from api.barrios.deps import CurrentEjecutor
from api.barrios.models import Ejecutor, EjecutorCreate, EjecutorCreated, EjecutorPublic, EjecutorUpdate
from api.barrios.store import create_ejecutor, update_ejecutor
from api.kernel.deps import AdminDep, SessionDep
from api.kernel.errors import ERROR_RESPONSES
from api.kernel.paging import PAGED, PagingDep

router = APIRouter(prefix="/api", tags=["ejecutores"], responses=ERROR_RESPONSES)


@router.post("/ejecutores", status_code=status.HTTP_201_CREATED, response_model=EjecutorCreated)
def add_ejecutor(data: EjecutorCreate, session: SessionDep, _admin: AdminDep) -> EjecutorCreated:
    """Create an ejecutor. Its token is in this response only; it is stored hashed."""
    ejecutor, token = create_ejecutor(session, name=data.name)
    return EjecutorCreated(**ejecutor.model_dump(), token=token)


@router.get("/ejecutores", response_model=list[EjecutorPublic], responses=PAGED)
def list_ejecutores(session: SessionDep, _admin: AdminDep, paging: PagingDep) -> list[Ejecutor]:
    """Every ejecutor (admin only; paged)."""
    return paging.rows(session, select(Ejecutor).order_by(Ejecutor.id))  # type: ignore[arg-type]


@router.get("/me", response_model=EjecutorPublic)
def me(ejecutor: CurrentEjecutor) -> Ejecutor:
    """The ejecutor this token belongs to."""
    return ejecutor


@router.patch("/me", response_model=EjecutorPublic)
def change_me(data: EjecutorUpdate, ejecutor: CurrentEjecutor, session: SessionDep) -> Ejecutor:
    """Set whom vecinos ask about their data (named in the privacy notice of every barrio without its own)."""
    return update_ejecutor(session, ejecutor, data)
