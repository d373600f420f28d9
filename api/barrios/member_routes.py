"""Members of a barrio, by pseudonymous id; the ejecutor promotes or demotes the grupo motor."""

from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Path, status
from sqlmodel import SQLModel, col, select

from api.barrios.models import Member, MemberPublic
from api.kernel.deps import CurrentEjecutor, Id, SessionDep, owned_barrio
from api.kernel.errors import ERROR_RESPONSES

MemberId = Annotated[str, Path(min_length=1, max_length=16)]

router = APIRouter(prefix="/api/barrios/{barrio_id}/members", tags=["members"], responses=ERROR_RESPONSES)


class RoleUpdate(SQLModel):
    role: Literal["vecino", "motor"]


def _public(member: Member) -> MemberPublic:
    shown = member.model_dump(include=set(MemberPublic.model_fields))
    shown["display_name"] = member.display_name if member.share_name else None
    return MemberPublic(**shown)


@router.get("", response_model=list[MemberPublic])
def list_members(barrio_id: Id, session: SessionDep, ejecutor: CurrentEjecutor) -> list[MemberPublic]:
    """Every member of the barrio: pseudonymous id, role, language, subscribed, reachable. No chat ids."""
    owned_barrio(session, ejecutor, barrio_id)
    rows = session.exec(select(Member).where(Member.barrio_id == barrio_id).order_by(col(Member.joined_at))).all()
    return [_public(m) for m in rows]


@router.patch("/{member_id}", response_model=MemberPublic)
def set_role(barrio_id: Id, member_id: MemberId, data: RoleUpdate, session: SessionDep,
             ejecutor: CurrentEjecutor) -> MemberPublic:
    """Promote a member to the grupo motor ("motor") or back ("vecino")."""
    owned_barrio(session, ejecutor, barrio_id)
    member = session.get(Member, member_id)
    if member is None or member.barrio_id != barrio_id:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"member {member_id} not found in barrio {barrio_id}")
    member.role = data.role
    session.add(member)
    session.commit()
    session.refresh(member)
    return _public(member)
