"""The demo barrio's grupo motor and its upcoming assembly."""

from datetime import timedelta

from sqlmodel import Session, select

from api.barrios.models import Barrio, Member
from api.convocatorias.models import Convocatoria, Rsvp
from api.kernel.types import utcnow
from conversations.convocatorias.ports import Answer
from conversations.kernel.members import Role

DEMO_MOTOR = (("motor-1", "Carmen"), ("motor-2", "Luis"), ("motor-3", "Marie"))


def seed_demo(session: Session, barrio: Barrio) -> None:
    """A grupo motor of three console members and one upcoming assembly, once."""
    if session.exec(select(Convocatoria).where(Convocatoria.barrio_id == barrio.id)).first() is not None:
        return
    for chat_id, name in DEMO_MOTOR:
        if session.exec(select(Member).where(Member.channel == "console", Member.chat_id == chat_id)).first() is None:
            session.add(Member(id=f"vdemo{chat_id[-1]}", barrio_id=barrio.id or 0, channel="console",
                               chat_id=chat_id, locale="ht" if name == "Marie" else "es", role=Role.MOTOR,
                               share_name=True, display_name=name))
    starts = (utcnow() + timedelta(days=10)).replace(hour=21, minute=30, second=0, microsecond=0)  # 18:30 Chile
    row = Convocatoria(barrio_id=barrio.id or 0, author_id="vdemo1", title="Asamblea para validar el diagnóstico",
                       starts_at=starts, place="Sede vecinal Villa Los Aromos",
                       details="Revisaremos juntos los problemas y recursos del barrio (económicos, sociales, "
                               "medioambientales, institucionales y físicos). Trae tus ideas.")
    session.add(row)
    session.flush()
    for member_id, answer in (("vdemo1", Answer.YES), ("vdemo2", Answer.YES), ("vdemo3", Answer.MAYBE)):
        session.add(Rsvp(convocatoria_id=row.id or 0, member_id=member_id, answer=answer))
    session.commit()
