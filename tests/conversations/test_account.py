"""Joining, language, my data, leaving and deleting, as pure conversation tables."""

import pytest

from conversations.kernel.events import Event
from conversations.kernel.members import BarrioRef
from tests.fakes.ports import Chat, MemoryDirectory, memory_context

CODE, MOTOR = "K7MP2Q", "GM4XZ9"


@pytest.fixture
def directory() -> MemoryDirectory:
    return MemoryDirectory(barrios={
        CODE: BarrioRef(id=1, name="Villa Los Aromos", role="vecino"),
        MOTOR: BarrioRef(id=1, name="Villa Los Aromos", role="motor"),
    })


@pytest.fixture
def chat(directory: MemoryDirectory) -> Chat:
    return Chat(lambda: memory_context(directory))


def joined(chat: Chat, locale: str = "es", code: str = CODE) -> Chat:
    chat.say(f"/start {code}")
    chat.press(f"join:{locale}:{code}")
    chat.press(f"consent:yes:{locale}:{code}")
    return chat


@pytest.mark.parametrize(("typed", "expected"), [
    ("/start", "escribe el código"),
    ("hola", "No encontré"),
    ("/misdatos", "escribe el código"),
    ("/inventado", "escribe el código"),
    (f"{CODE[:3]} {CODE[3:]}".lower(), "Elige tu idioma"),
])
def test_before_joining_everything_leads_to_the_code(chat: Chat, typed: str, expected: str) -> None:
    assert expected in chat.say(typed)[-1]
    assert not chat.state.joined


@pytest.mark.parametrize(("event", "expected"), [
    (Event.parse("asdf"), "No entendí"),
    (Event.other("sticker"), "Solo puedo leer texto"),
    (Event.other("edited"), "editaste"),
    (Event.button("lang:xx"), "ya no está vigente"),
    (Event.button("nada:1:2"), "ya no está vigente"),
    (Event.button("consent:yes:es:" + CODE), "Ya eres parte"),
    (Event.parse("/noexiste"), "No conozco el comando /noexiste"),
])
def test_unexpected_input_gets_a_hint_and_the_menu(chat: Chat, event: Event, expected: str) -> None:
    joined(chat)
    texts = chat.send(event)
    assert expected in texts[-1]
    assert "acct:help" in chat.buttons


def test_language_switch_is_remembered(chat: Chat, directory: MemoryDirectory) -> None:
    joined(chat)
    chat.say("/idioma")
    assert chat.buttons == ["lang:es", "lang:ht", "lang:en"]
    assert "I will write to you in English" in chat.press("lang:en")[-1]
    assert directory.members[chat.state.member_id or ""].locale == "en"
    assert "This is what we keep about you" in chat.say("/misdatos")[-1]


def test_my_data_lists_every_record_kind(chat: Chat, directory: MemoryDirectory) -> None:
    joined(chat)
    directory.counts[chat.state.member_id or ""] = {"answers": 12, "votes": 1, "rsvps": 0}
    text = chat.say("/misdatos")[-1]
    assert "12 respuestas a encuestas" in text and "1 voto en votaciones" in text
    assert "respuestas a convocatorias" not in text  # kinds with no records are not listed


def test_delete_needs_confirmation_and_forgets(chat: Chat, directory: MemoryDirectory) -> None:
    joined(chat)
    chat.say("/borrar")
    assert chat.buttons == ["del:yes", "del:no"]
    chat.press("del:no")
    assert directory.members
    chat.say("/borrar")
    assert "borramos todos tus datos" in chat.press("del:yes")[-1]
    assert not directory.members and chat.state.forget and not chat.state.joined


def test_leave_stops_messages_and_start_brings_them_back(chat: Chat, directory: MemoryDirectory) -> None:
    joined(chat)
    chat.say("/salir")
    chat.press("leave:yes")
    member_id = chat.state.member_id or ""
    assert not directory.members[member_id].subscribed
    assert "Volverás a recibir" in chat.say("/start")[-1]
    assert directory.members[member_id].subscribed


def test_motor_code_later_promotes_a_vecino(chat: Chat, directory: MemoryDirectory) -> None:
    joined(chat)
    assert "grupo motor" in chat.say(f"/start {MOTOR}")[-1]
    assert directory.members[chat.state.member_id or ""].role == "motor"
