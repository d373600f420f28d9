"""Who is calling (an ejecutor, by its own token or a staff user's) and what it owns: how routes check ownership.

Every route reaches a barrio, survey, ballot or convocatoria through a dependency built
on `owned(...)`: a thing in another ejecutor's barrio does not exist for the caller
(404), exactly like one that does not exist at all.
"""

from typing import Annotated, Protocol, TypeVar

from fastapi import Depends
from sqlmodel import Session, SQLModel

from api.barrios.models import Barrio, Ejecutor
from api.kernel.deps import Credentials, Id, IdForm, IdQuery, SessionDep, unauthorized
from api.kernel.errors import NotFound
from api.staff.store import ejecutor_of_token


def current_ejecutor(credentials: Credentials, session: SessionDep) -> Ejecutor:
    if credentials is None:
        raise unauthorized("missing bearer token")
    ejecutor = ejecutor_of_token(session, credentials.credentials)
    if ejecutor is None:
        raise unauthorized("invalid token")
    return ejecutor


CurrentEjecutor = Annotated[Ejecutor, Depends(current_ejecutor)]


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


def barrio_in_path(barrio_id: Id, session: SessionDep, ejecutor: CurrentEjecutor) -> Barrio:
    return owned(session, ejecutor, Barrio, barrio_id)


def barrio_in_query(barrio_id: IdQuery, session: SessionDep, ejecutor: CurrentEjecutor) -> Barrio:
    return owned(session, ejecutor, Barrio, barrio_id)


def barrio_in_form(barrio_id: IdForm, session: SessionDep, ejecutor: CurrentEjecutor) -> Barrio:
    return owned(session, ejecutor, Barrio, barrio_id)


OwnedBarrio = Annotated[Barrio, Depends(barrio_in_path)]
BarrioInQuery = Annotated[Barrio, Depends(barrio_in_query)]
BarrioInForm = Annotated[Barrio, Depends(barrio_in_form)]
