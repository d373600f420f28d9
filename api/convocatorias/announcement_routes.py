"""Announcements: a short message from staff to every subscribed vecino of a barrio, through the outbox."""

from fastapi import APIRouter, status
from sqlmodel import col, select

from api.barrios.deps import OwnedBarrio
from api.convocatorias.changes import ANNOUNCEMENT, announce
from api.convocatorias.models import Announcement, AnnouncementCreate, AnnouncementPublic
from api.kernel.deps import SessionDep
from api.kernel.errors import ERROR_RESPONSES
from api.kernel.paging import PAGED, PagingDep
from api.outbox.sender import delivery_counts

router = APIRouter(prefix="/api/barrios/{barrio_id}/announcements", tags=["convocatorias"],
                   responses=ERROR_RESPONSES)


def public(session: SessionDep, row: Announcement) -> AnnouncementPublic:
    return AnnouncementPublic(**row.model_dump(), delivery=delivery_counts(session, kind=ANNOUNCEMENT,
                                                                           ref_id=row.id or 0))


@router.post("", status_code=status.HTTP_201_CREATED, response_model=AnnouncementPublic)
def add_announcement(barrio: OwnedBarrio, data: AnnouncementCreate, session: SessionDep) -> AnnouncementPublic:
    """Queue the text to every subscribed vecino (those who left with /salir are not sent it), in ht or en
    when given for their language."""
    row, _queued = announce(session, barrio, data)
    session.commit()
    return public(session, row)


@router.get("", response_model=list[AnnouncementPublic], responses=PAGED)
def list_announcements(barrio: OwnedBarrio, session: SessionDep, paging: PagingDep) -> list[AnnouncementPublic]:
    """The barrio's announcements, newest first, with their delivery progress (paged)."""
    rows = paging.rows(session, select(Announcement).where(Announcement.barrio_id == barrio.id)
                       .order_by(col(Announcement.id).desc()))
    return [public(session, row) for row in rows]
