"""Convocatorias and RSVPs in SQL: the chat's port and what the ejecutor and the grupo motor see."""

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, col, select

from api.barrios.models import Barrio, Member
from api.convocatorias.models import Convocatoria, ConvocatoriaMove, ConvocatoriaPublic, Rsvp
from api.kernel.errors import Conflict, Invalid
from api.kernel.types import utcnow
from api.outbox.enqueue import enqueue
from api.outbox.sender import delivery_counts
from conversations.convocatorias.flow import announcement
from conversations.convocatorias.ports import Answer, ConvocatoriaStatus, ConvocatoriaView, Draft
from conversations.convocatorias.texts import answer_label
from conversations.kernel.i18n import Translator
from conversations.kernel.members import Record
from conversations.kernel.replies import Reply

KIND, REMINDER = "convocatoria", "reminder"
PUSH_CHANNELS = frozenset({"telegram", "console"})  # the console shows its queued messages (api/outbox/inbox.py)
RECENT = timedelta(days=30)


def view(row: Convocatoria) -> ConvocatoriaView:
    return ConvocatoriaView(id=row.id or 0, barrio_id=row.barrio_id, title=row.title, starts_at=row.starts_at,
                            place=row.place, details=row.details, versions=row.versions or {},
                            cancelled=row.cancelled_at is not None)


def reminder_kind(row: Convocatoria) -> str:
    """The reminders' outbox kind: a new date (revision) gets reminders of its own."""
    return REMINDER if row.revision == 0 else f"{REMINDER}:{row.revision}"


def send_convocatoria(session: Session, barrio: Barrio, draft: Draft,
                      author_id: str | None) -> tuple[Convocatoria, int]:
    """Store a convocatoria (by the grupo motor's `author_id`, or staff's: None) and queue it; (it, how many)."""
    row = Convocatoria(barrio_id=barrio.id or 0, author_id=author_id, title=draft.title, starts_at=draft.starts_at,
                       place=draft.place, details=draft.details,
                       versions={locale: dict(parts) for locale, parts in draft.versions.items()} or None)
    session.add(row)
    session.flush()
    return row, queue_announcement(session, barrio, row)


def queue_announcement(session: Session, barrio: Barrio, convocatoria: Convocatoria) -> int:
    """One outbox row per subscribed vecino, in their language and the barrio's time zone."""
    shown = view(convocatoria)
    by_locale: dict[str, Reply] = {}  # the same message for everyone who reads that language

    def render(t: Translator, member: Member) -> Reply | None:
        if member.channel not in PUSH_CHANNELS:
            return None
        if t.locale not in by_locale:
            by_locale[t.locale] = announcement(t, shown, barrio.name)
        return by_locale[t.locale]

    return enqueue(session, barrio=barrio, kind=KIND, ref_id=shown.id, render=render)


class SqlConvocatorias:
    def __init__(self, session: Session) -> None:
        self.session = session

    def send(self, *, member_id: str, draft: Draft) -> tuple[ConvocatoriaView, int]:
        author = self.session.get(Member, member_id)
        assert author is not None
        barrio = self.session.get(Barrio, author.barrio_id)
        assert barrio is not None
        row, queued = send_convocatoria(self.session, barrio, draft, member_id)
        return view(row), queued

    def get(self, convocatoria_id: int) -> ConvocatoriaView | None:
        row = self.session.get(Convocatoria, convocatoria_id)
        return view(row) if row else None

    def upcoming(self, barrio_id: int, now: datetime) -> Sequence[ConvocatoriaView]:
        rows = self.session.exec(
            select(Convocatoria).where(Convocatoria.barrio_id == barrio_id, Convocatoria.starts_at > now,
                                       col(Convocatoria.cancelled_at).is_(None))
            .order_by(col(Convocatoria.starts_at)).limit(5)
        ).all()
        return [view(r) for r in rows]

    def recent(self, barrio_id: int, now: datetime) -> Sequence[ConvocatoriaView]:
        rows = self.session.exec(
            select(Convocatoria).where(Convocatoria.barrio_id == barrio_id, Convocatoria.starts_at > now - RECENT)
            .order_by(col(Convocatoria.starts_at).desc()).limit(5)
        ).all()
        return [view(r) for r in rows]

    def answer(self, convocatoria_id: int, member_id: str) -> str | None:
        row = self.session.get(Rsvp, (convocatoria_id, member_id))
        return row.answer if row else None

    def set_answer(self, convocatoria_id: int, member_id: str, answer: str) -> None:
        row = self.session.get(Rsvp, (convocatoria_id, member_id))
        if row is None:
            row = Rsvp(convocatoria_id=convocatoria_id, member_id=member_id, answer=answer)
        row.answer, row.updated_at = answer, utcnow()
        self.session.add(row)
        self.session.flush()

    def share_name(self, member_id: str, name: str | None) -> None:
        member = self.session.get(Member, member_id)
        if member is None:
            return
        member.share_name, member.display_name = name is not None, name
        self.session.add(member)

    def status(self, convocatoria_id: int) -> ConvocatoriaStatus | None:
        row = self.session.get(Convocatoria, convocatoria_id)
        if row is None:
            return None
        public = describe(self.session, row)
        return ConvocatoriaStatus(view(row), public.delivery, public.rsvps, public.names)

    def call_off(self, convocatoria_id: int, now: datetime) -> int | None:
        from api.convocatorias import changes  # it builds on this module

        return self._change(convocatoria_id, lambda barrio, row: changes.cancel_convocatoria(
            self.session, barrio, row, now))

    def move(self, convocatoria_id: int, starts_at: datetime, now: datetime) -> int | None:
        from api.convocatorias import changes

        return self._change(convocatoria_id, lambda barrio, row: changes.reschedule_convocatoria(
            self.session, barrio, row, ConvocatoriaMove(starts_at=starts_at), now))

    def _change(self, convocatoria_id: int, change: Callable[[Barrio, Convocatoria], int]) -> int | None:
        row = self.session.get(Convocatoria, convocatoria_id)
        barrio = self.session.get(Barrio, row.barrio_id) if row else None
        if row is None or barrio is None:
            return None
        try:
            return change(barrio, row)
        except (Conflict, Invalid):
            return None


def describe(session: Session, row: Convocatoria) -> ConvocatoriaPublic:
    """Delivery counts, answers, and the names of those who agreed to show them."""
    assert row.id is not None
    counts: dict[str, int] = dict.fromkeys(Answer, 0)
    counts.update(dict(session.exec(  # type: ignore[arg-type]
        select(Rsvp.answer, func.count()).where(Rsvp.convocatoria_id == row.id).group_by(Rsvp.answer)
    ).all()))
    names: dict[str, list[str]] = {}
    shared = session.exec(
        select(Rsvp.answer, Member.display_name).join(Member)
        .where(Rsvp.convocatoria_id == row.id, Member.share_name, col(Member.display_name).is_not(None))
        .order_by(col(Member.display_name))
    ).all()
    for answer, name in shared:
        names.setdefault(answer, []).append(name or "")
    return ConvocatoriaPublic(
        **row.model_dump(include={"id", "title", "starts_at", "place", "details", "versions", "created_at",
                                  "cancelled_at"}),
        delivery=delivery_counts(session, kind=KIND, ref_id=row.id), rsvps=counts, names=names,
    )


def count_rsvps(session: Session, member_id: str) -> int:
    return session.exec(select(func.count()).select_from(Rsvp).where(Rsvp.member_id == member_id)).one()


def export_rsvps(session: Session, member_id: str, t: Translator) -> list[Record]:
    """The member's answers to convocatorias for their data download."""
    rows = session.exec(
        select(Convocatoria, Rsvp.answer, Rsvp.updated_at).join(Rsvp)
        .where(Rsvp.member_id == member_id).order_by(Convocatoria.starts_at)  # type: ignore[arg-type]
    ).all()
    return [Record(topic=c.title, item=t.datetime(c.starts_at), value=answer_label(t, answer), code=answer, at=at)
            for c, answer, at in rows]
