"""Convocatorias and RSVPs in SQL: the chat port, the ejecutor's view and the reminder job."""

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import Engine, func
from sqlmodel import Session, col, select

from api.barrios.directory import RECORD_COUNTERS
from api.barrios.models import Barrio, Member
from api.convocatorias.models import MAYBE, YES, Convocatoria, ConvocatoriaPublic, Rsvp
from api.kernel.db import session_scope
from api.kernel.jobs import JOBS
from api.kernel.types import utcnow
from api.outbox.enqueue import enqueue, recipients
from api.outbox.sender import delivery_counts
from conversations.convocatorias import texts as text
from conversations.convocatorias.ports import ConvocatoriaStatus, ConvocatoriaView, Draft
from conversations.kernel.i18n import Translator
from conversations.kernel.replies import Reply

KIND, REMINDER = "convocatoria", "reminder"
PUSH_CHANNELS = frozenset({"telegram"})  # channels the outbox sender delivers to
RECENT = timedelta(days=30)


def _view(row: Convocatoria) -> ConvocatoriaView:
    return ConvocatoriaView(id=row.id or 0, barrio_id=row.barrio_id, title=row.title, starts_at=row.starts_at,
                            place=row.place, details=row.details)


def queue_announcement(session: Session, barrio: Barrio, convocatoria: Convocatoria) -> int:
    """One outbox row per subscribed vecino, in their language and the barrio's time zone."""
    view = _view(convocatoria)
    by_locale: dict[str, Reply] = {}  # the same message for everyone who reads that language

    def render(t: Translator, member: Member) -> Reply | None:
        if member.channel not in PUSH_CHANNELS:  # the console cannot be written to; it sees the menu list
            return None
        if t.locale not in by_locale:
            by_locale[t.locale] = text.announcement(t, view, barrio.name)
        return by_locale[t.locale]

    return enqueue(session, barrio=barrio, kind=KIND, ref_id=view.id, render=render)


class SqlConvocatorias:
    def __init__(self, session: Session) -> None:
        self.session = session

    def send(self, *, member_id: str, draft: Draft) -> tuple[ConvocatoriaView, int]:
        author = self.session.get(Member, member_id)
        assert author is not None
        barrio = self.session.get(Barrio, author.barrio_id)
        assert barrio is not None
        row = Convocatoria(barrio_id=author.barrio_id, author_id=member_id, title=draft.title,
                           starts_at=draft.starts_at, place=draft.place, details=draft.details)
        self.session.add(row)
        self.session.flush()
        return _view(row), queue_announcement(self.session, barrio, row)

    def get(self, convocatoria_id: int) -> ConvocatoriaView | None:
        row = self.session.get(Convocatoria, convocatoria_id)
        return _view(row) if row else None

    def upcoming(self, barrio_id: int, now: datetime) -> Sequence[ConvocatoriaView]:
        rows = self.session.exec(
            select(Convocatoria).where(Convocatoria.barrio_id == barrio_id, Convocatoria.starts_at > now)
            .order_by(col(Convocatoria.starts_at)).limit(5)
        ).all()
        return [_view(r) for r in rows]

    def recent(self, barrio_id: int, now: datetime) -> Sequence[ConvocatoriaView]:
        rows = self.session.exec(
            select(Convocatoria).where(Convocatoria.barrio_id == barrio_id, Convocatoria.starts_at > now - RECENT)
            .order_by(col(Convocatoria.starts_at).desc()).limit(5)
        ).all()
        return [_view(r) for r in rows]

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
        return ConvocatoriaStatus(_view(row), public.delivery, public.rsvps, public.names)


def describe(session: Session, row: Convocatoria) -> ConvocatoriaPublic:
    """Delivery counts, answers, and the names of those who agreed to show them."""
    assert row.id is not None
    counts = dict.fromkeys(text.ANSWERS, 0)
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
        **row.model_dump(include={"id", "title", "starts_at", "place", "details", "created_at"}),
        delivery=delivery_counts(session, kind=KIND, ref_id=row.id), rsvps=counts, names=names,
    )


def remind_due(engine: Engine, now: datetime, before: timedelta | None = None) -> int:
    """Queue reminders for assemblies starting within `before` to those who said Asistiré or Tal vez.

    Idempotent: the outbox keeps one (reminder, convocatoria, member) row at most.
    """
    if before is None:
        from api.kernel.config import get_settings

        before = timedelta(hours=get_settings().reminder_hours)
    queued = 0
    with session_scope(engine) as session:
        due = session.exec(
            select(Convocatoria, Barrio).join(Barrio)
            .where(Convocatoria.starts_at > now, Convocatoria.starts_at <= now + before)
        ).all()
        for row, barrio in due:
            answers = dict(session.exec(  # type: ignore[arg-type]
                select(Rsvp.member_id, Rsvp.answer)
                .where(Rsvp.convocatoria_id == row.id, col(Rsvp.answer).in_((YES, MAYBE)))
            ).all())
            if not answers:
                continue
            members = [m for m in recipients(session, barrio.id or 0) if m.id in answers and m.channel in PUSH_CHANNELS]
            view = _view(row)
            queued += enqueue(session, barrio=barrio, kind=REMINDER, ref_id=view.id, members=members,
                              render=lambda t, m, v=view, b=barrio, a=answers: text.reminder(t, v, b.name, a[m.id]))
    return queued


def _count_rsvps(session: Session, member_id: str) -> int:
    return session.exec(select(func.count()).select_from(Rsvp).where(Rsvp.member_id == member_id)).one()


RECORD_COUNTERS["rsvps"] = _count_rsvps
JOBS.append(remind_due)


DEMO_MOTOR = (("motor-1", "Carmen"), ("motor-2", "Luis"), ("motor-3", "Marie"))


def seed_demo(session: Session, barrio: Barrio) -> None:
    """A grupo motor of three console members and one upcoming assembly, once."""
    if session.exec(select(Convocatoria).where(Convocatoria.barrio_id == barrio.id)).first() is not None:
        return
    for chat_id, name in DEMO_MOTOR:
        if session.exec(select(Member).where(Member.channel == "console", Member.chat_id == chat_id)).first() is None:
            session.add(Member(id=f"vdemo{chat_id[-1]}", barrio_id=barrio.id or 0, channel="console",
                               chat_id=chat_id, locale="ht" if name == "Marie" else "es", role="motor",
                               share_name=True, display_name=name))
    starts = (utcnow() + timedelta(days=10)).replace(hour=21, minute=30, second=0, microsecond=0)  # 18:30 Chile
    row = Convocatoria(barrio_id=barrio.id or 0, author_id="vdemo1", title="Asamblea para validar el diagnóstico",
                       starts_at=starts, place="Sede vecinal Villa Los Aromos",
                       details="Revisaremos juntos los problemas y recursos del barrio (económicos, sociales, "
                               "medioambientales, institucionales y físicos). Trae tus ideas.")
    session.add(row)
    session.flush()
    for member_id, answer in (("vdemo1", YES), ("vdemo2", YES), ("vdemo3", MAYBE)):
        session.add(Rsvp(convocatoria_id=row.id or 0, member_id=member_id, answer=answer))
    session.commit()
