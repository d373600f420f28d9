"""Reminders before an assembly, to those who said Asistiré or Tal vez (a periodic job), queued in batches."""

from datetime import datetime, timedelta

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from api.barrios.models import Member
from api.convocatorias.models import Convocatoria, Rsvp
from api.convocatorias.store import PUSH_CHANNELS, reminder_kind, view
from api.outbox.enqueue import enqueue_in_batches, recipients
from conversations.convocatorias.flow import reminder
from conversations.convocatorias.ports import Answer


def remind_due(engine: Engine, now: datetime, before: timedelta | None = None) -> int:
    """Queue reminders for assemblies starting within `before` to those who said Asistiré or Tal vez.

    Each assembly's reminders are queued in batches of their own transactions (an assembly of a
    large barrio never holds SQLite's one writer for long). Idempotent: the outbox keeps one
    (reminder, convocatoria, member) row at most.
    """
    if before is None:
        from api.kernel.config import get_settings

        before = timedelta(hours=get_settings().reminder_hours)
    with Session(engine) as session:
        due = session.exec(select(Convocatoria).where(Convocatoria.starts_at > now,
                                                      Convocatoria.starts_at <= now + before,
                                                      col(Convocatoria.cancelled_at).is_(None))).all()
        session.expunge_all()
    return sum(_remind(engine, row) for row in due)


def _remind(engine: Engine, row: Convocatoria) -> int:
    shown = view(row)
    answers: dict[str, str] = {}

    def coming(session: Session) -> list[Member]:
        answers.update(session.exec(  # type: ignore[arg-type]
            select(Rsvp.member_id, Rsvp.answer)
            .where(Rsvp.convocatoria_id == row.id, col(Rsvp.answer).in_((Answer.YES, Answer.MAYBE)))
        ).all())
        return [m for m in recipients(session, row.barrio_id) if m.id in answers and m.channel in PUSH_CHANNELS]

    return enqueue_in_batches(engine, barrio_id=row.barrio_id, kind=reminder_kind(row), ref_id=shown.id,
                              members=coming, render=lambda t, member: reminder(t, shown, answers[member.id]))
