"""Times, date-times, ranges and acknowledgements in the survey conversation, as pure tables."""

from typing import Any

import pytest

from conversations.kernel.members import BarrioRef
from tests.fakes.ports import Chat, MemoryDirectory, MemorySurveys, memory_context

CODE = "K7MP2Q"
FORM: dict[str, Any] = {
    "title": "Tipos",
    "questions": [
        {"name": "hora", "type": "time", "label": "¿A qué hora sales?"},
        {"name": "cita", "type": "datetime", "label": "¿Cuándo es la reunión?"},
        {"name": "ingreso", "type": "range", "label": "¿Ingreso (miles)?", "parameters": {"start": 0, "end": 1000,
                                                                                          "step": 50}},
        {"name": "nota", "type": "range", "label": "¿Nota?", "parameters": {"start": 0, "end": 10, "step": 2}},
        {"name": "acepto", "type": "acknowledge", "required": True, "label": "Tus datos son confidenciales."},
    ],
}
HORA, CITA, INGRESO, NOTA, ACEPTO = range(5)


@pytest.fixture
def surveys() -> MemorySurveys:
    memory = MemorySurveys()
    memory.add(1, barrio_id=1, definition=FORM)
    return memory


@pytest.fixture
def chat(surveys: MemorySurveys) -> Chat:
    directory = MemoryDirectory(barrios={CODE: BarrioRef(id=1, name="Villa Los Aromos", role="vecino")})
    chat = Chat(lambda: memory_context(directory, surveys=surveys))
    chat.say(f"/start {CODE}")
    chat.press(f"join:es:{CODE}")
    chat.press(f"consent:yes:es:{CODE}")
    chat.press("sv:1")
    return chat


def _stored(chat: Chat, surveys: MemorySurveys) -> dict[str, Any]:
    return surveys.answers(1, chat.state.member_id or "")


@pytest.mark.parametrize(("question", "typed", "stored", "problem"), [
    (HORA, "18:30", "18:30", None),
    (HORA, "9.05", "09:05", None),
    (HORA, "7h45", "07:45", None),
    (HORA, "25:00", None, "No entendí la hora"),
    (HORA, "tarde", None, "No entendí la hora"),
    (CITA, "24-12-2026 18:30", "2026-12-24T18:30", None),
    (CITA, "2026-01-31, 9:00", "2026-01-31T09:00", None),
    (CITA, "31-02-2026 18:30", None, "Escribe la fecha y la hora"),
    (CITA, "mañana", None, "Escribe la fecha y la hora"),
    (INGRESO, "350", 350, None),
    (INGRESO, "375", None, "Escribe un número de 0 a 1000"),  # not a step of 50
    (INGRESO, "1200", None, "Escribe un número de 0 a 1000"),
    (NOTA, "4", 4, None),  # a short range: buttons, and a typed step is taken too
    (NOTA, "5", None, "Escribe un número de 0 a 10"),
    (ACEPTO, "sí", None, "usa los botones"),
])
def test_typed_answers(chat: Chat, surveys: MemorySurveys, question: int, typed: str, stored: Any,
                       problem: str | None) -> None:
    for _ in range(question):
        chat.press(chat.buttons[-1])  # Omitir up to the question
    texts = chat.say(typed)
    if problem is None:
        assert _stored(chat, surveys)[FORM["questions"][question]["name"]] == stored
    else:
        assert problem in texts[0] and FORM["questions"][question]["name"] not in _stored(chat, surveys)


def test_ranges_offer_buttons_only_when_few_and_acknowledge_takes_one_press(
        chat: Chat, surveys: MemorySurveys) -> None:
    for _ in range(INGRESO):
        texts = chat.press(chat.buttons[-1])
    # no buttons for 21 steps: typed
    assert "Escribe un número de 0 a 1000." in texts[-1] and chat.buttons[-1].endswith(":skip")
    texts = chat.press(chat.buttons[-1])
    assert "Elige un número de 0 a 10." in texts[-1]
    assert [b.label for row in chat.last[-1].buttons[:1] for b in row] == ["0", "2", "4", "6", "8", "10"]
    chat.press(f"sv:1:{NOTA}:3")
    assert _stored(chat, surveys)["nota"] == 6
    assert [b.label for row in chat.last[-1].buttons for b in row][-1] == "Entendido"
    texts = chat.press(f"sv:1:{ACEPTO}:ok")
    assert texts[-1].startswith("¡Gracias!") and _stored(chat, surveys)["acepto"] == "OK"
    assert "Tus datos son confidenciales. — Entendido" in texts[-1]


@pytest.mark.parametrize(("question", "default", "button", "stored"), [
    ({"type": "integer"}, "3", "Usar: 3", 3),
    ({"type": "select_one", "choices": [{"name": "lp", "label": "La Pintana"}, {"name": "pa", "label": "Puente"}]},
     "lp", "Usar: La Pintana", "lp"),
    ({"type": "date"}, "2026-03-01", None, "2026-03-01"),
    ({"type": "integer"}, "tres", None, None),  # a default that is no answer is not offered
])
def test_a_default_is_offered_until_an_answer_is_given(question: dict[str, Any], default: str, button: str | None,
                                                        stored: Any) -> None:
    surveys = MemorySurveys()
    surveys.add(1, barrio_id=1, definition={"title": "D", "questions": [
        {"name": "q", "label": "¿Q?", "default": default, **question}]})
    directory = MemoryDirectory(barrios={CODE: BarrioRef(id=1, name="Villa Los Aromos", role="vecino")})
    chat = Chat(lambda: memory_context(directory, surveys=surveys))
    chat.say(f"/start {CODE}")
    chat.press(f"join:es:{CODE}")
    chat.press(f"consent:yes:es:{CODE}")
    chat.press("sv:1")
    labels = [b.label for row in chat.last[-1].buttons for b in row]
    if stored is None:
        assert not any(label.startswith("Usar") for label in labels)
        return
    assert (button or "Usar: ") in " ".join(labels)
    chat.press("sv:1:0:ok")
    assert _stored(chat, surveys)["q"] == stored


def test_a_ranking_keeps_the_order_the_options_were_pressed_in() -> None:
    surveys = MemorySurveys()
    surveys.add(1, barrio_id=1, definition={"title": "R", "questions": [
        {"name": "prioridad", "type": "rank", "required": True, "label": "Ordena",
         "choices": [{"name": "plaza", "label": "Plaza"}, {"name": "luz", "label": "Luz"},
                     {"name": "sede", "label": "Sede"}]}]})
    directory = MemoryDirectory(barrios={CODE: BarrioRef(id=1, name="Villa Los Aromos", role="vecino")})
    chat = Chat(lambda: memory_context(directory, surveys=surveys))
    chat.say(f"/start {CODE}")
    chat.press(f"join:es:{CODE}")
    chat.press(f"consent:yes:es:{CODE}")
    chat.press("sv:1")
    chat.press("sv:1:0:2")
    chat.press("sv:1:0:0")
    assert [b.label for row in chat.last[-1].buttons[:3] for b in row] == ["2. Plaza", "Luz", "1. Sede"]
    assert "Ordena todas las opciones" in chat.press("sv:1:0:ok")[0]  # required: all of them
    chat.press("sv:1:0:1")
    texts = chat.press("sv:1:0:ok")
    assert _stored(chat, surveys)["prioridad"] == ["sede", "plaza", "luz"]
    assert "Ordena — 1. Sede, 2. Plaza, 3. Luz" in texts[-1]
