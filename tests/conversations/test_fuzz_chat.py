"""Fuzz the chat: random texts, commands, buttons (old, forged, valid-looking), media.

Invariants: no exception escapes, every event gets at least one non-empty reply, and
nothing one vecino sends changes another vecino's stored data.
"""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine
from sqlmodel import Session, select

from api.barrios.models import Member
from api.chat.models import Conversation
from api.chat.service import Address, ChatService
from conversations.kernel.events import Event
from tests.factories import chat_service, make_barrio, make_ejecutor
from tests.fakes.ports import FLOWS

COMMANDS = sorted(FLOWS.commands)
PREFIXES = sorted(FLOWS.buttons)
MEDIA = ["sticker", "photo", "voice", "edited", "location", "unknown"]

texts = st.text(min_size=0, max_size=300) | st.text(alphabet="aA1 ", min_size=4000, max_size=5000)
button_data = st.builds(
    lambda prefix, tail: f"{prefix}:{tail}"[:64],
    st.sampled_from([*PREFIXES, "zz"]),
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789:-_ÿ", max_size=40),
)
events = st.one_of(
    texts.map(Event.parse),
    st.builds(lambda name, arg: Event.parse(f"/{name} {arg}"), st.sampled_from(COMMANDS), st.text(max_size=20)),
    button_data.map(Event.button),
    st.sampled_from(MEDIA).map(Event.other),
)


@pytest.fixture
def world(engine: Engine) -> tuple[ChatService, str]:
    with Session(engine, expire_on_commit=False) as session:
        ejecutor, _ = make_ejecutor(session)
        code = make_barrio(session, ejecutor).join_code
    service = chat_service(engine, "TestBot")
    for address in (FUZZER, BYSTANDER):
        service.handle(address, Event.parse(f"/start {code}"))
        service.handle(address, Event.button(f"join:ht:{code}"))
        service.handle(address, Event.button(f"consent:yes:ht:{code}"))
    return service, code


FUZZER = Address("telegram", "1", "1")
BYSTANDER = Address("telegram", "2", "2")


def _snapshot(engine: Engine) -> tuple[object, ...]:
    with Session(engine) as session:
        member = session.exec(select(Member).where(Member.chat_id == BYSTANDER.chat_id)).one()
        state = session.get(Conversation, (BYSTANDER.channel, BYSTANDER.chat_id, BYSTANDER.user_id))
        return member.model_dump(), state.model_dump() if state else None


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(batch=st.lists(events, min_size=1, max_size=8))
def test_random_input_always_gets_an_answer_and_touches_no_one_else(
    engine: Engine, world: tuple[ChatService, str], batch: list[Event]
) -> None:
    service, _code = world
    before = _snapshot(engine)
    for event in batch:
        replies = service.handle(FUZZER, event)
        assert replies, f"silence after {event}"
        assert all(reply.text.strip() for reply in replies)
        assert not any("Traceback" in reply.text for reply in replies)
    assert _snapshot(engine) == before
