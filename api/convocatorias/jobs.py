"""Reminders before an assembly, to those who said Asistiré or Tal vez (a periodic job)."""

from datetime import datetime, timedelta

from sqlalchemy import Engine
from sqlmodel import col, select

from api.barrios.models import Barrio
from api.convocatorias.models import Convocatoria, Rsvp
from api.convocatorias.store import PUSH_CHANNELS, reminder_kind, view
from api.kernel.db import session_scope
from api.outbox.enqueue import enqueue, recipients
from conversations.convocatorias.flow import reminder
from conversations.convocatorias.ports import Answer


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
            .where(Convocatoria.starts_at > now, Convocatoria.starts_at <= now + before,
                   col(Convocatoria.cancelled_at).is_(None))
        ).all()
        for row, barrio in due:
            answers = dict(session.exec(  # type: ignore[arg-type]
                select(Rsvp.member_id, Rsvp.answer)
                .where(Rsvp.convocatoria_id == row.id, col(Rsvp.answer).in_((Answer.YES, Answer.MAYBE)))
            ).all())
            if not answers:
                continue
            members = [m for m in recipients(session, barrio.id or 0) if m.id in answers and m.channel in PUSH_CHANNELS]
            shown = view(row)
            queued += enqueue(session, barrio=barrio, kind=reminder_kind(row), ref_id=shown.id, members=members,
                              render=lambda t, m, v=shown, a=answers: reminder(t, v, a[m.id]))
    return queued
