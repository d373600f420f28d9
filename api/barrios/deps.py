"""Who is calling (an ejecutor, by its own token or a staff user's) and what it owns: how routes check ownership.

Every route reaches a barrio, survey, ballot or convocatoria through a dependency built
on `owned(...)`: a thing in another ejecutor's barrio does not exist for the caller
(404), exactly like one that does not exist at all.
"""

from collections.abc import Callable, Iterator
from typing import Annotated, Any, Protocol, TypeVar

from fastapi import Depends, Form, Path, Query, Request
from sqlalchemy import Engine
from sqlmodel import Session, SQLModel

from api.barrios.models import Barrio, Ejecutor
from api.kernel.deps import MAX_ID, Credentials, SessionDep, unauthorized
from api.kernel.errors import NotFound
from api.kernel.exports import ExportSlot
from api.privacy.models import StaffActor, Via
from api.staff.store import caller_of_token


def token_is_known(engine: Engine, token: str) -> bool:
    """Whether `token` is some ejecutor's or an active staff user's: the check made before a request's
    body is read (api/kernel/limits.py)."""
    with Session(engine) as session:
        return caller_of_token(session, token) is not None


def current_caller(credentials: Credentials, session: SessionDep) -> tuple[Ejecutor, StaffActor]:
    """The organisation the token acts for, and who among its staff holds it (resolved once per request)."""
    if credentials is None:
        raise unauthorized("missing bearer token")
    found = caller_of_token(session, credentials.credentials)
    if found is None:
        raise unauthorized("invalid token")
    ejecutor, staff_id = found
    return ejecutor, StaffActor(staff_id, Via.API)


Caller = Annotated[tuple[Ejecutor, StaffActor], Depends(current_caller)]


def current_ejecutor(caller: Caller) -> Ejecutor:
    return caller[0]


def acting_staff(caller: Caller) -> StaffActor:
    """Which staff user is calling, for the accountability log."""
    return caller[1]


CurrentEjecutor = Annotated[Ejecutor, Depends(current_ejecutor)]
ActingStaff = Annotated[StaffActor, Depends(acting_staff)]


class InABarrio(Protocol):
    barrio_id: int


T = TypeVar("T", bound=SQLModel)


def owned(session: Session, ejecutor: Ejecutor, model: type[T], item_id: int) -> T:
    """The `model` row with `item_id` if it is (or lies in) one of the caller's barrios; NotFound otherwise."""
    item = session.get(model, item_id)
    barrio = item if isinstance(item, Barrio) else (
        session.get(Barrio, item.barrio_id) if item is not None else None)  # type: ignore[attr-defined]
    if item is None or barrio is None or barrio.ejecutor_id != ejecutor.id:
        raise NotFound(f"{model.__tablename__} {item_id} not found")
    return item


def owned_by(model: type[T], name: str, where: Callable[..., Any] = Path) -> Callable[..., T]:
    """The dependency giving the `model` row whose id the request carries as `name` (in the path, or in
    the query or a form as `where` says) when it is (or lies in) one of the caller's barrios; 404 otherwise."""
    def dependency(item_id: Annotated[int, where(alias=name, ge=1, le=MAX_ID)], session: SessionDep,
                   ejecutor: CurrentEjecutor) -> T:
        return owned(session, ejecutor, model, item_id)
    return dependency


OwnedBarrio = Annotated[Barrio, Depends(owned_by(Barrio, "barrio_id"))]
BarrioInQuery = Annotated[Barrio, Depends(owned_by(Barrio, "barrio_id", Query))]
BarrioInForm = Annotated[Barrio, Depends(owned_by(Barrio, "barrio_id", Form))]


def export_slot(request: Request, ejecutor: CurrentEjecutor) -> Iterator[ExportSlot]:
    """A place among the exports running at once (429 when there is none), counted per organisation.

    The response the route returns frees it when its rows are written; a route that fails
    before that frees it here.
    """
    slot = request.app.state.export_gate.enter(ejecutor.id)
    try:
        yield slot
    except BaseException:
        slot.done("failed")
        raise
    finally:
        if not slot.handed_over:
            slot.done()


ExportDep = Annotated[ExportSlot, Depends(export_slot)]
