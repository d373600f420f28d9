"""The chat service's guarantees: state in the database, duplicates once, races retried."""

import threading
from datetime import timedelta

from sqlalchemy import Engine
from sqlmodel import Session, func, select

from api.barrios.models import Member
from api.chat.models import Conversation, HandledUpdate
from api.chat.service import Address, ChatService
from api.kernel.types import utcnow
from conversations.kernel.events import Event
from tests.factories import VECINA, chat_service, join, make_barrio, make_ejecutor


def test_state_survives_a_restart(engine: Engine, session: Session) -> None:
    ejecutor, _ = make_ejecutor(session)
    barrio = make_barrio(session, ejecutor)
    join(chat_service(engine), barrio.join_code)
    chat_service(engine).handle(VECINA, Event.parse("/borrar"), 10)
    replies = chat_service(engine).handle(VECINA, Event.button("del:yes"), 11)  # a new process
    assert "borramos todos tus datos" in replies[0].text
    assert session.exec(select(func.count()).select_from(Member)).one() == 0
    assert session.exec(select(func.count()).select_from(Conversation)).one() == 0


def test_an_update_delivered_twice_is_handled_once(engine: Engine, session: Session) -> None:
    ejecutor, _ = make_ejecutor(session)
    barrio = make_barrio(session, ejecutor)
    chat = chat_service(engine)
    join(chat, barrio.join_code)
    first = chat.handle(VECINA, Event.parse("/misdatos"), 20)
    again = chat.handle(VECINA, Event.parse("/misdatos"), 20)
    assert first and again == []
    row = session.exec(select(Conversation)).one()
    assert row.last_update_id == 20 and row.version == 2


def test_concurrent_processes_apply_each_update_once(engine: Engine, session: Session) -> None:
    """Two services (as two processes) get the same updates at the same time."""
    ejecutor, _ = make_ejecutor(session)
    barrio = make_barrio(session, ejecutor)
    join(chat_service(engine), barrio.join_code)
    services = [chat_service(engine), chat_service(engine)]
    answered: list[int] = []
    barrier = threading.Barrier(2)

    def deliver(chat: ChatService) -> None:
        barrier.wait()
        for update_id in range(100, 130):
            event = Event.button("lang:en") if update_id % 2 else Event.button("lang:ht")
            if chat.handle(VECINA, event, update_id):
                answered.append(update_id)

    threads = [threading.Thread(target=deliver, args=(chat,)) for chat in services]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(answered) == list(range(100, 130))  # each update answered by exactly one
    session.expire_all()
    row = session.exec(select(Conversation)).one()
    assert row.version == 1 + 30 and row.last_update_id == 129
    assert session.exec(select(Member)).one().locale == "en"  # the last update (129) won


def test_nothing_is_stored_before_consent(engine: Engine, session: Session) -> None:
    ejecutor, _ = make_ejecutor(session)
    barrio = make_barrio(session, ejecutor)
    chat = chat_service(engine)
    chat.handle(VECINA, Event.parse(f"/start {barrio.join_code}"), 1)
    chat.handle(VECINA, Event.button(f"join:ht:{barrio.join_code}"), 2)
    assert session.exec(select(func.count()).select_from(Conversation)).one() == 0
    assert session.exec(select(func.count()).select_from(Member)).one() == 0


def test_replies_lost_in_a_crash_go_out_when_telegram_delivers_again(engine: Engine, session: Session) -> None:
    """Committed, then the process died before sending: the redelivery brings the replies."""
    ejecutor, _ = make_ejecutor(session)
    barrio = make_barrio(session, ejecutor)
    chat = chat_service(engine)
    join(chat, barrio.join_code)
    first = chat.handle(VECINA, Event.parse("/misdatos"), 40)
    assert chat.handle(VECINA, Event.parse("/misdatos"), 40) == []  # a twin, right away: nothing
    session.expire_all()
    kept = session.get(HandledUpdate, ("telegram", 40))
    assert kept is not None and kept.chat_id == VECINA.chat_id and kept.replies
    kept.handled_at = utcnow() - timedelta(seconds=30)  # Telegram retries later
    session.add(kept)
    session.commit()
    again = chat_service(engine).handle(VECINA, Event.parse("/misdatos"), 40)
    assert [r.text for r in again] == [r.text for r in first] and again[0].buttons == first[0].buttons
    assert chat_service(engine).handle(VECINA, Event.parse("/misdatos"), 40) == []  # once only


def test_kept_replies_go_only_to_the_chat_they_were_for(engine: Engine, session: Session) -> None:
    """An update id that comes back from another chat (forged, or a mixed-up proxy) gets nothing of hers."""
    barrio = make_barrio(session, make_ejecutor(session)[0])
    chat = chat_service(engine)
    join(chat, barrio.join_code)
    assert chat.handle(VECINA, Event.parse("/misdatos"), 45)
    kept = session.get(HandledUpdate, ("telegram", 45))
    assert kept is not None
    kept.handled_at = utcnow() - timedelta(seconds=30)
    session.add(kept)
    session.commit()
    stranger = Address("telegram", "666", "666")
    assert chat_service(engine).handle(stranger, Event.parse("/misdatos"), 45) == []
    session.expire_all()
    still = session.get(HandledUpdate, ("telegram", 45))
    assert still is not None and still.replies  # hers are still there for her own redelivery
    assert chat_service(engine).handle(VECINA, Event.parse("/misdatos"), 45)


def test_borrar_also_forgets_the_kept_replies(engine: Engine, session: Session) -> None:
    ejecutor, _ = make_ejecutor(session)
    barrio = make_barrio(session, ejecutor)
    chat = chat_service(engine)
    join(chat, barrio.join_code)
    chat.handle(VECINA, Event.parse("/misdatos"), 50)
    chat.handle(VECINA, Event.parse("/borrar"), 51)
    chat.handle(VECINA, Event.button("del:yes"), 52)
    session.expire_all()
    kept = session.exec(select(HandledUpdate)).all()
    assert {row.update_id for row in kept} >= {52} and all(row.chat_id is None for row in kept)
    assert not any(row.replies for row in kept)
