"""Staff send, call off or move a convocatoria, and send a barrio a short announcement.

Calling off or moving tells those who got the convocatoria and those who answered Asistiré or
Tal vez (issue 14), in their language, through the outbox; /salir is honoured. The caller commits
(a route, a console page, or the chat's transaction when the grupo motor does it). Messages still
waiting with the old date are withdrawn: the convocatoria goes again with the new one, and the
reminders of the new date are their own (`reminder_kind`). Answers are kept across a new date.
"""

from datetime import datetime

from sqlalchemy import update
from sqlmodel import Session, col, select

from api.barrios.models import Barrio, Member
from api.convocatorias.models import Announcement, AnnouncementCreate, Convocatoria, ConvocatoriaMove, Rsvp
from api.convocatorias.store import KIND, PUSH_CHANNELS, queue_announcement, reminder_kind, view
from api.kernel.errors import Conflict, Invalid
from api.outbox.enqueue import enqueue, recipients
from api.outbox.withdraw import told, withdraw
from conversations.convocatorias import flow, texts
from conversations.convocatorias.ports import Answer
from conversations.kernel.i18n import Translator
from conversations.kernel.replies import Reply

CANCELLED, MOVED, ANNOUNCEMENT = "convocatoria_cancelled", "convocatoria_moved", "announcement"


def _claim(session: Session, row: Convocatoria, now: datetime, **values: object) -> None:
    """Apply `values` if it still stands, is still to come and is unchanged since read; Conflict otherwise."""
    result = session.execute(
        update(Convocatoria).where(col(Convocatoria.id) == row.id, col(Convocatoria.cancelled_at).is_(None),
                                   col(Convocatoria.starts_at) > now, col(Convocatoria.revision) == row.revision)
        .values(revision=row.revision + 1, **values)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]  (nothing was changed: no rollback needed)
        raise Conflict(f"convocatoria {row.id} was called off or is over already")
    session.refresh(row)


def _answers(session: Session, row: Convocatoria) -> dict[str, str]:
    """Who answered, and what."""
    return dict(session.exec(select(Rsvp.member_id, Rsvp.answer)  # type: ignore[arg-type]
                             .where(Rsvp.convocatoria_id == row.id)).all())


def _to_tell(session: Session, barrio: Barrio, row: Convocatoria, got_it: set[str]) -> list[Member]:
    """Those who got it and those who said Asistiré or Tal vez, if they still want messages and can get them."""
    coming = {m for m, answer in _answers(session, row).items() if answer in (Answer.YES, Answer.MAYBE)}
    wanted = got_it | coming
    return [m for m in recipients(session, barrio.id or 0) if m.id in wanted and m.channel in PUSH_CHANNELS]


def cancel_convocatoria(session: Session, barrio: Barrio, row: Convocatoria, now: datetime) -> int:
    """Call it off; how many vecinos are told."""
    old_reminders = reminder_kind(row)
    _claim(session, row, now, cancelled_at=now)
    withdraw(session, kinds=(KIND, old_reminders), ref_id=row.id or 0)
    shown = view(row)
    members = _to_tell(session, barrio, row, told(session, kinds=(KIND,), ref_id=row.id or 0))
    return enqueue(session, barrio=barrio, kind=CANCELLED, ref_id=row.id or 0, members=members,
                   render=lambda t, _m: Reply(texts.cancelled(t, shown, barrio.name)))


def reschedule_convocatoria(session: Session, barrio: Barrio, row: Convocatoria, move: ConvocatoriaMove,
                            now: datetime) -> int:
    """A new date (and place); how many vecinos are told of it. Answers stay."""
    if move.starts_at <= now:
        raise Invalid("starts_at: must be in the future")
    old_reminders = reminder_kind(row)
    _claim(session, row, now, starts_at=move.starts_at, place=(move.place or row.place).strip())
    waiting = withdraw(session, kinds=(KIND,), ref_id=row.id or 0)
    withdraw(session, kinds=(old_reminders,), ref_id=row.id or 0)
    queue_announcement(session, barrio, row)  # the convocatoria itself, with its new date, to those still waiting
    shown, answers = view(row), _answers(session, row)
    members = [m for m in _to_tell(session, barrio, row, told(session, kinds=(KIND,), ref_id=row.id or 0))
               if m.id not in waiting]
    return enqueue(session, barrio=barrio, kind=f"{MOVED}:{row.revision}", ref_id=row.id or 0, members=members,
                   render=lambda t, m: flow.moved(t, shown, barrio.name, answers.get(m.id or "")))


def announce(session: Session, barrio: Barrio, data: AnnouncementCreate) -> tuple[Announcement, int]:
    """Store an announcement and queue it for every subscribed vecino, in their language if written; (it, how
    many)."""
    written = {locale: text.strip() for locale, text in data.translations.items() if text.strip()}
    row = Announcement(barrio_id=barrio.id or 0, text=data.text.strip(), translations=written)
    session.add(row)
    session.flush()

    def render(t: Translator, member: Member) -> Reply | None:
        if member.channel not in PUSH_CHANNELS:
            return None
        return Reply(texts.announcement(t, row.translations.get(t.locale, row.text), barrio.name))

    return row, enqueue(session, barrio=barrio, kind=ANNOUNCEMENT, ref_id=row.id or 0, render=render)
