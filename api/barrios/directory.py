"""Barrios and members for the conversations, bound to one chat and one session."""

import secrets
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any, Unpack

from sqlalchemy import bindparam, delete, or_, update
from sqlmodel import Session, select

from api.barrios import misses
from api.barrios.models import Barrio, Ejecutor, Member
from api.chat.models import HandledUpdate
from api.kernel.feature import Exporter
from api.privacy.log import record
from api.privacy.models import Action, Actor
from conversations.kernel.i18n import Translator
from conversations.kernel.members import BarrioRef, MemberChanges, MemberView, Record, Role

# How many records of one kind a member has (for /misdatos): kind -> count(session, member_id).
# The process passes each feature's declared counters (api/kernel/feature.py, PersonalData).
RecordCounters = Mapping[str, Callable[[Session, str], int]]
# Each kind's records for the vecino's data download: kind -> export(session, member_id, translator).
RecordExporters = Mapping[str, Exporter]


# What a chat event needs of its member: read with the conversation itself (api/chat/rows.py)
# or by id, with statements built once (building them per call costs more than running them).
MEMBER_COLUMNS = (
    Member.id, Member.barrio_id, Barrio.name, Barrio.timezone, Member.locale, Member.role,  # type: ignore[has-type]
    Member.subscribed, Member.share_name, Member.display_name, Member.joined_at, Member.reachable,
    Member.withheld,
)
_MEMBER_WITH_BARRIO = select(*MEMBER_COLUMNS).join(Barrio).where(Member.id == bindparam("member_id"))


def member_view(row: Sequence[Any]) -> MemberView:
    """A MemberView from the MEMBER_COLUMNS of a row, in that order."""
    (id_, barrio_id, barrio_name, timezone, locale, role, subscribed, share_name, display_name,
     joined_at, reachable, withheld) = row
    return MemberView(
        id=id_, barrio_id=barrio_id, barrio_name=barrio_name, timezone=timezone, locale=locale, role=role,
        subscribed=subscribed, share_name=share_name, display_name=display_name, joined_at=joined_at,
        reachable=reachable, withheld=withheld,
    )


def new_member_id() -> str:
    """A pseudonymous id: random, unrelated to the chat id, short enough to read out."""
    return "v" + secrets.token_hex(6)


class SqlDirectory:
    def __init__(self, session: Session, *, channel: str, chat_id: str, known: MemberView | None = None,
                 records: RecordCounters | None = None, exports: RecordExporters | None = None,
                 retention_months: int = 6, forgets: Sequence[Callable[[str], None]] = ()) -> None:
        self.session = session
        self.forgets = forgets  # what lets go of the member's rows kept in memory (PersonalData.forget)
        self.counters = records or {}
        self.exporters = exports or {}
        self.retention_months = retention_months
        self.channel = channel
        self.chat_id = chat_id
        # Members read in this event (`known`: read along with the conversation); a write drops its entry.
        self._members: dict[str, MemberView] = {known.id: known} if known else {}

    def barrio_by_code(self, code: str) -> BarrioRef | None:
        found = self.session.exec(
            select(Barrio, Ejecutor).join(Ejecutor)
            .where(or_(Barrio.join_code == code, Barrio.motor_code == code), Barrio.links_cut_at.is_(None))  # type: ignore[union-attr]
        ).first()
        if found is None or found[0].id is None:
            return None
        barrio, ejecutor = found
        role = Role.MOTOR if barrio.motor_code == code else Role.VECINO
        return BarrioRef(id=barrio.id, name=barrio.name, role=role, responsible=ejecutor.name,
                         contact=barrio.privacy_contact or ejecutor.privacy_contact,
                         retention_months=self.retention_months)

    def code_misses(self, since: datetime) -> int:
        return misses.count(self.session, self.channel, self.chat_id, since)

    def code_missed(self, at: datetime) -> None:
        misses.add(self.session, self.channel, self.chat_id, at)

    def join(self, *, barrio_id: int, role: Role, locale: str) -> str:
        self._members.clear()
        existing = self.session.exec(
            select(Member).where(Member.channel == self.channel, Member.chat_id == self.chat_id)
        ).first()
        if existing is not None:
            existing.barrio_id, existing.role, existing.locale = barrio_id, role, locale
            existing.subscribed = existing.reachable = True
            self.session.add(existing)
            return existing.id
        member = Member(
            id=new_member_id(), barrio_id=barrio_id, channel=self.channel,
            chat_id=self.chat_id, locale=locale, role=role,
        )
        self.session.add(member)
        self.session.flush()
        return member.id

    def member(self, member_id: str) -> MemberView | None:
        known = self._members.get(member_id)
        if known is not None:
            return known
        self.session.flush()
        row = self.session.connection().execute(_MEMBER_WITH_BARRIO, {"member_id": member_id}).first()
        if row is None:
            return None
        view = self._members[member_id] = member_view(row)
        return view

    def update_member(self, member_id: str, **changes: Unpack[MemberChanges]) -> None:
        withheld = changes.get("withheld")
        known = self.member(member_id) if withheld is not None else None
        self._members.pop(member_id, None)
        values: dict[str, Any] = dict(changes)
        if withheld is not None and known is not None and known.withheld != withheld:
            action = Action.VECINO_WITHHOLD if withheld else Action.VECINO_RELEASE
            record(self.session, barrio_id=known.barrio_id, action=action, actor=Actor.VECINO)
        if changes.get("subscribed"):
            values["reachable"] = True  # they are talking to us: not blocked
        if values:
            self.session.flush()
            self.session.connection().execute(update(Member).where(Member.id == member_id).values(**values))  # type: ignore[arg-type]

    def records(self, member_id: str) -> Mapping[str, int]:
        return {kind: count(self.session, member_id) for kind, count in self.counters.items()}

    def export(self, member_id: str, locale: str) -> Mapping[str, Sequence[Record]]:
        member = self.member(member_id)
        if member is None:
            return {}
        t = Translator(locale, member.timezone)
        exported = {kind: export(self.session, member_id, t) for kind, export in self.exporters.items()}
        record(self.session, barrio_id=member.barrio_id, action=Action.VECINO_DOWNLOAD, actor=Actor.VECINO)
        return exported

    def delete_member(self, member_id: str) -> None:
        # Rows of other features reference the member with ON DELETE CASCADE; replies kept
        # for redelivery (api/chat/rows.py) are tied to the chat instead.
        known = self.member(member_id)
        if known is not None:
            record(self.session, barrio_id=known.barrio_id, action=Action.VECINO_DELETE, actor=Actor.VECINO)
        self._members.pop(member_id, None)
        self.session.execute(delete(Member).where(Member.id == member_id))  # type: ignore[arg-type]
        for forget in self.forgets:
            forget(member_id)
        self.session.execute(delete(HandledUpdate).where(
            HandledUpdate.channel == self.channel, HandledUpdate.chat_id == self.chat_id))  # type: ignore[arg-type]
