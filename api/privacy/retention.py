"""Retention (proporcionalidad): when a barrio's programme has ended long enough ago, cut every
link between its members and the people behind them, for good.

The due day is the programme's end plus RETENTION_MONTHS (api/privacy/schedule.py: the date
staff set, otherwise the end of the barrio's last phase). Then, in one transaction per barrio:
the conversations, the replies kept for redelivery and the messages queued or sent (all tied
to a chat) are deleted, and
each member keeps only its pseudonymous id: no channel, no chat id, no name. Answers,
votes and RSVPs stay, under those pseudonyms, so results and exports still add up; no one
can be reached or recognised through them. What vecinos wrote freely (text answers, their
ideas' explanations) is blanked and photos deleted, since people write names in it (api/surveys/retention.py
says why). The barrio's codes stop working.

Safe in several processes: a barrio is claimed by a conditional UPDATE of `links_cut_at`,
and the claim commits with the work; a second process finds it taken.
"""

from datetime import datetime

from sqlalchemy import Engine, delete, func, or_, select, tuple_, update
from sqlmodel import Session

from api.barrios.models import Barrio, Member
from api.chat.models import Conversation, HandledUpdate
from api.kernel.config import get_settings
from api.kernel.db import forget_on_disk
from api.outbox.models import OutboxMessage
from api.privacy.log import record
from api.privacy.models import Action, Actor
from api.privacy.schedule import due
from api.programme.ideas import blank_descriptions
from api.surveys.retention import blank_free_answers

RETIRED = "retired"  # the channel of a member whose chat link was cut


def cut_links_due(engine: Engine, now: datetime, months: int | None = None) -> None:
    """The job: cut the links of every barrio whose retention day has come (RETENTION_MONTHS unless `months`)."""
    months = get_settings().retention_months if months is None else months
    with Session(engine) as session:
        barrio_ids = due(session, months, now)
    for barrio_id in barrio_ids:
        with Session(engine) as session:
            claimed = session.execute(update(Barrio).where(
                Barrio.id == barrio_id, Barrio.links_cut_at.is_(None)  # type: ignore[arg-type,union-attr]
            ).values(links_cut_at=now))
            if claimed.rowcount != 1:  # another process got there first
                session.rollback()
                continue
            people = cut_links(session, barrio_id)
            record(session, barrio_id=barrio_id, action=Action.RETENTION, actor=Actor.SYSTEM, people=people)
            session.commit()
        forget_on_disk(engine)


def cut_links(session: Session, barrio_id: int) -> int:
    """Unlink every member of the barrio from their chat; how many members there were."""
    in_barrio = Member.barrio_id == barrio_id
    members = select(Member.id).where(in_barrio)
    people = session.execute(select(func.count()).select_from(Member).where(in_barrio)).scalar_one()
    chats = select(Member.channel, Member.chat_id).where(in_barrio)
    session.execute(delete(HandledUpdate).where(tuple_(HandledUpdate.channel, HandledUpdate.chat_id).in_(chats)))
    session.execute(delete(Conversation).where(or_(  # theirs, and any other state kept for their chats
        Conversation.member_id.in_(members),  # type: ignore[union-attr]
        tuple_(Conversation.channel, Conversation.chat_id).in_(chats))))
    session.execute(delete(OutboxMessage).where(OutboxMessage.barrio_id == barrio_id))  # type: ignore[arg-type]
    session.execute(update(Member).where(in_barrio).values(
        channel=RETIRED, chat_id=Member.id, display_name=None, share_name=False, subscribed=False, reachable=False,
    ))
    blank_free_answers(session, barrio_id)
    blank_descriptions(session, barrio_id)
    return people
