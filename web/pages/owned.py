"""A page's thing only if it is the staff user's organisation's: otherwise the 404 page."""

from collections.abc import Callable
from typing import Annotated, TypeVar

from fastapi import Depends
from sqlmodel import Session, SQLModel

from api.barrios.deps import owned
from api.barrios.models import Barrio
from api.kernel.deps import Id, SessionDep
from api.kernel.errors import NotFound
from web.deps import PageNotFound, PostingStaff, Staff, StaffDep

T = TypeVar("T", bound=SQLModel)
Found = TypeVar("Found")


def page_of(session: Session, staff: Staff, model: type[T], item_id: int) -> T:
    try:
        return owned(session, staff.ejecutor, model, item_id)
    except NotFound as error:
        raise PageNotFound() from error


def ours(find: Callable[[], Found]) -> Found:
    """What a store's lookup of the organisation's own (`owned_actor`, `owned_hito`...) finds, or the 404 page."""
    try:
        return find()
    except NotFound as error:
        raise PageNotFound() from error


def owned_barrio(barrio_id: Id, staff: StaffDep, session: SessionDep) -> Barrio:
    """The barrio of the path, if it is the staff user's organisation's."""
    return page_of(session, staff, Barrio, barrio_id)


OwnedBarrio = Annotated[Barrio, Depends(owned_barrio)]


def posted_barrio(staff: PostingStaff, barrio: OwnedBarrio) -> Barrio:
    """The barrio of the path of a form its organisation's staff user posted: the form's CSRF token is checked
    before the barrio is looked for."""
    return barrio


PostedBarrio = Annotated[Barrio, Depends(posted_barrio)]
