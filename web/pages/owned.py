"""A page's thing only if it is the staff user's organisation's: otherwise the 404 page."""

from typing import TypeVar

from sqlmodel import Session, SQLModel

from api.barrios.deps import owned
from api.kernel.errors import NotFound
from web.deps import PageNotFound, Staff

T = TypeVar("T", bound=SQLModel)


def page_of(session: Session, staff: Staff, model: type[T], item_id: int) -> T:
    try:
        return owned(session, staff.ejecutor, model, item_id)
    except NotFound as error:
        raise PageNotFound() from error
