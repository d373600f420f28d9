"""Writing and answering convocatorias, as pure conversation tables (memory ports)."""

from datetime import timedelta

import pytest

from conversations.convocatorias.ports import ConvocatoriaView
from conversations.kernel.members import BarrioRef
from tests.fakes.ports import NOW, Chat, MemoryConvocatorias, MemoryDirectory, memory_context

CODE, MOTOR = "K7MP2Q", "GM4XZ9"


@pytest.fixture
def port() -> MemoryConvocatorias:
    return MemoryConvocatorias()


@pytest.fixture
def directory() -> MemoryDirectory:
    return MemoryDirectory(barrios={CODE: BarrioRef(1, "Villa Los Aromos", "vecino"),
                                    MOTOR: BarrioRef(1, "Villa Los Aromos", "motor")})


def _chat(directory: MemoryDirectory, port: MemoryConvocatorias, code: str, locale: str = "es") -> Chat:
    chat = Chat(lambda: memory_context(directory, convocatorias=port))
    chat.say(f"/start {code}")
    chat.press(f"join:{locale}:{code}")
    chat.press(f"consent:yes:{locale}:{code}")
    return chat


@pytest.mark.parametrize(("locale", "typed", "expected"), [
    ("es", "el sábado", "No entendí «el sábado» como fecha y hora."),
    ("es", "30/02 18:00", "La fecha «30/02 18:00» no existe en el calendario."),
    ("es", "20/11/2026 18:00", "«20/11/2026 18:00» ya pasó."),
    ("en", "next week", "I did not understand «next week» as a date and time."),
    ("en", "hoy 9:00", "«hoy 9:00» has already passed."),
    ("ht", "demen", "Mwen pa konprann «demen» kòm yon dat ak yon lè."),
    ("es", "ayer 18:30", "«ayer 18:30» ya pasó."),
    ("es", "14/12", "Falta la hora en «14/12». Escribe el día y la hora, por ejemplo: 14/12 18:30"),
    ("en", "14/12", "The time is missing in «14/12». Write the day and the time, for example: 14/12 18:30"),
    ("ht", "14/12", "Lè a manke nan «14/12». Ekri jou a ak lè a, pa egzanp: 14/12 18:30"),
])
def test_a_date_it_cannot_use_gets_a_clear_message_and_the_question_again(
        directory: MemoryDirectory, port: MemoryConvocatorias, locale: str, typed: str, expected: str) -> None:
    motor = _chat(directory, port, MOTOR, locale)
    motor.say("/convocar")
    motor.say("Asamblea")
    texts = motor.say(typed)
    assert texts[0].startswith(expected)
    assert "14/12 18:30" in texts[-1] and motor.state.step == "cv.when"


@pytest.mark.parametrize(("typed", "step_after"), [("A", "cv.title"), ("x" * 201, "cv.title"),
                                                   ("Asamblea PDL", "cv.when")])
def test_title_length_is_checked(directory: MemoryDirectory, port: MemoryConvocatorias,
                                 typed: str, step_after: str) -> None:
    motor = _chat(directory, port, MOTOR)
    motor.say("/convocar")
    motor.say(typed)
    assert motor.state.step == step_after


def test_answers_change_until_the_assembly_and_not_after(directory: MemoryDirectory, port: MemoryConvocatorias) -> None:
    port.rows[1] = ConvocatoriaView(1, 1, "Asamblea", NOW + timedelta(days=2), "Sede", "")
    port.rows[2] = ConvocatoriaView(2, 1, "Pasada", NOW - timedelta(hours=1), "Sede", "")
    vecina = _chat(directory, port, CODE)
    assert "Anotado: Asistiré" in vecina.press("rsvp:1:yes")[-1]
    assert "Anotado: No podré" in vecina.press("rsvp:1:no")[-1]
    assert vecina.buttons == []  # "no": nobody's name to show
    assert list(port.answers.values()) == ["no"]
    assert "ya pasó" in vecina.press("rsvp:2:yes")[-1]
    assert "ya no está vigente" in vecina.press("rsvp:9:yes")[-1]
    assert "ya no está vigente" in vecina.press("rsvp:1:siempre")[-1]
    assert "vista previa" in vecina.press("rsvp:0:yes")[-1]
    listed = vecina.press("cv:list")
    assert len(listed) == 1 and "Tu respuesta: No podré" in listed[0]
