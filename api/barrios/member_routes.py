"""Members of a barrio, by pseudonymous id; the ejecutor promotes or demotes the grupo motor."""

from typing import Annotated

from fastapi import APIRouter, Depends, Path
from sqlmodel import SQLModel, col, select

from api.barrios.deps import ActingStaff, OwnedBarrio
from api.barrios.models import Member, MemberPublic
from api.kernel.deps import SessionDep
from api.kernel.errors import ERROR_RESPONSES, NotFound
from api.kernel.paging import PAGED, PagingDep
from api.privacy.log import staff_read
from api.privacy.models import Action
from conversations.kernel.members import Role

router = APIRouter(prefix="/api/barrios/{barrio_id}/members", tags=["members"], responses=ERROR_RESPONSES)


class RoleUpdate(SQLModel):
    role: Role


def member_in_barrio(member_id: Annotated[str, Path(min_length=1, max_length=16)], barrio: OwnedBarrio,
                     session: SessionDep) -> Member:
    """The member if it belongs to the barrio of the path (itself one of the caller's)."""
    member = session.get(Member, member_id)
    if member is None or member.barrio_id != barrio.id:
        raise NotFound(f"member {member_id} not found in barrio {barrio.id}")
    return member


OwnedMember = Annotated[Member, Depends(member_in_barrio)]


def _public(member: Member) -> MemberPublic:
    shown = member.model_dump(include=set(MemberPublic.model_fields))
    shown["display_name"] = member.display_name if member.share_name else None
    return MemberPublic(**shown)


@router.get("", response_model=list[MemberPublic], responses=PAGED)
def list_members(barrio: OwnedBarrio, session: SessionDep, paging: PagingDep, by: ActingStaff) -> list[MemberPublic]:
    """The members of the barrio: pseudonymous id, role, language, subscribed, reachable. No chat ids (paged)."""
    rows = paging.rows(session, select(Member).where(Member.barrio_id == barrio.id)
                       .order_by(col(Member.joined_at), col(Member.id)))
    staff_read(session, barrio_id=barrio.id or 0, action=Action.STAFF_MEMBER_LIST, detail="members",
               people=len(rows), by=by)
    return [_public(m) for m in rows]


@router.patch("/{member_id}", response_model=MemberPublic)
def set_role(member: OwnedMember, data: RoleUpdate, session: SessionDep) -> MemberPublic:
    """Promote a member to the grupo motor (`motor`) or back (`vecino`)."""
    member.role = data.role
    session.add(member)
    session.commit()
    session.refresh(member)
    return _public(member)
