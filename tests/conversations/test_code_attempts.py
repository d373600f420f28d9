"""Codes that match no barrio are tried a few times per chat and period, then the chat is asked to wait."""

from dataclasses import replace

import pytest

from conversations.barrios.codes import (
    LENGTH,
    MAX_MISSES,
    MISS_PERIOD,
    MOTOR_LENGTH,
    new_code,
    new_motor_code,
    normalise,
)
from conversations.kernel.members import BarrioRef
from conversations.kernel.state import State
from tests.fakes.ports import NOW, Chat, MemoryDirectory, memory_context

CODE, MOTOR, OLD_MOTOR = "K7MP2Q", "GM4XZ9KW7PRT", "GM4XZ9"
WRONG = ["AAAAA" + c for c in "ABCDEFGHJK"]


@pytest.fixture
def directory() -> MemoryDirectory:
    return MemoryDirectory(barrios={
        CODE: BarrioRef(id=1, name="Villa Los Aromos", role="vecino"),
        MOTOR: BarrioRef(id=1, name="Villa Los Aromos", role="motor"),
        OLD_MOTOR: BarrioRef(id=2, name="Población Nueva", role="motor"),
    })


class Clock:
    def __init__(self) -> None:
        self.now = NOW


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def chat(directory: MemoryDirectory, clock: Clock) -> Chat:
    return Chat(lambda: replace(memory_context(directory), now=clock.now))


# (what is typed, what the chat answers) in order: five misses, then even the right code waits
TABLE = [(WRONG[i], "No encontré") for i in range(MAX_MISSES)] + [
    (CODE, "espera 60 minutos"),
    (f"/start {CODE}", "espera 60 minutos"),
    ("hola", "espera 60 minutos"),
]


def test_after_a_few_misses_the_chat_waits(chat: Chat) -> None:
    for typed, expected in TABLE:
        assert expected in chat.say(typed)[-1], typed
    assert not chat.state.joined


def test_after_the_period_the_right_code_works(chat: Chat, clock: Clock) -> None:
    for code in WRONG[:MAX_MISSES]:
        chat.say(code)
    clock.now += MISS_PERIOD
    assert "Elige tu idioma" in chat.say(CODE)[-1]


def test_text_that_cannot_be_a_code_does_not_count(chat: Chat) -> None:
    for _ in range(MAX_MISSES * 2):
        assert "No encontré" in chat.say("hola, ¿cómo me uno?")[-1]
    assert "Elige tu idioma" in chat.say(CODE)[-1]


def test_forged_join_buttons_count_as_tries(chat: Chat) -> None:
    for code in WRONG[:MAX_MISSES]:
        assert "ya no sirve" in chat.press(f"join:es:{code}")[-1]
    assert "espera" in chat.press(f"join:es:{CODE}")[-1]


def test_a_member_guessing_the_motor_code_is_limited_too(chat: Chat, directory: MemoryDirectory) -> None:
    chat.say(f"/start {CODE}")
    chat.press(f"join:es:{CODE}")
    chat.press(f"consent:yes:es:{CODE}")
    for code in WRONG[:MAX_MISSES]:
        chat.say(f"/start {code}")
    assert "espera" in chat.say(f"/start {MOTOR}")[-1]
    assert directory.members[chat.state.member_id or ""].role == "vecino"


@pytest.mark.parametrize("locale", ["ht", "en"])
def test_the_wait_is_said_in_the_chosen_language(directory: MemoryDirectory, locale: str) -> None:
    chat = Chat(lambda: memory_context(directory), State(locale=locale))
    for code in WRONG[:MAX_MISSES]:
        chat.say(code)
    first, *others = chat.say(CODE)[-1].split("\n\n")  # no record: the phone's language first, then the others
    assert "60" in first and "espera" not in first and len(others) == 2


def test_motor_codes_are_longer_and_old_ones_still_join(chat: Chat) -> None:
    assert len(new_code()) == LENGTH and len(new_motor_code()) == MOTOR_LENGTH > LENGTH
    assert normalise("gm4x z9kw-7prt") == MOTOR
    chat.say(f"/start {OLD_MOTOR}")
    chat.press(f"join:es:{OLD_MOTOR}")
    assert "grupo motor" in chat.press(f"consent:yes:es:{OLD_MOTOR}")[0]
