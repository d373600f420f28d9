"""Typed answers, skipping and skip logic in the survey conversation, as pure tables."""

import pytest

from conversations.kernel.members import BarrioRef
from tests.fakes.ports import Chat, MemoryDirectory, MemorySurveys, memory_context

CODE = "K7MP2Q"
FORM = {
    "title": {"es": "Seguimiento", "en": "Follow-up"},
    "questions": [
        {"name": "fecha", "type": "date", "label": {"es": "¿Cuándo llegaste?", "en": "When did you arrive?"}},
        {"name": "gasto", "type": "decimal", "required": True, "label": "¿Cuánto gastas en agua (miles)?",
         "constraint": ". > 0", "constraint_message": {"es": "Debe ser más que cero.", "en": "Must be above zero."}},
        {"name": "hijos", "type": "integer", "label": "¿Cuántos hijos?"},
        {"name": "colegio", "type": "text", "label": "¿Qué colegio?", "relevant": "${hijos} > 0"},
        {"name": "fin", "type": "note", "label": "Última pregunta:"},
        {"name": "nota", "type": "scale", "required": True, "label": "¿Nota al barrio?"},
    ],
}


@pytest.fixture
def surveys() -> MemorySurveys:
    memory = MemorySurveys()
    memory.add(1, barrio_id=1, definition=FORM)
    memory.add(2, barrio_id=1, definition=FORM, status="draft")
    return memory


@pytest.fixture
def chat(surveys: MemorySurveys) -> Chat:
    directory = MemoryDirectory(barrios={CODE: BarrioRef(id=1, name="Villa Los Aromos", role="vecino")})
    chat = Chat(lambda: memory_context(directory, surveys=surveys))
    chat.say(f"/start {CODE}")
    chat.press(f"join:es:{CODE}")
    chat.press(f"consent:yes:es:{CODE}")
    return chat


def answers(chat: Chat, surveys: MemorySurveys) -> dict[str, object]:
    return surveys.answers(1, chat.state.member_id or "")


@pytest.mark.parametrize(("typed", "stored"), [
    ("24-12-2025", "2025-12-24"), ("3/2/2026", "2026-02-03"), ("2026-01-31", "2026-01-31"),
])
def test_dates_in_the_ways_people_write_them(chat: Chat, surveys: MemorySurveys, typed: str, stored: str) -> None:
    chat.press("sv:1")
    chat.say(typed)
    assert answers(chat, surveys)["fecha"] == stored


@pytest.mark.parametrize(("typed", "hint"), [
    ("31-02-2026", "No entendí la fecha"), ("ayer", "No entendí la fecha"),
])
def test_impossible_dates_are_asked_again(chat: Chat, surveys: MemorySurveys, typed: str, hint: str) -> None:
    chat.press("sv:1")
    texts = chat.say(typed)
    assert texts[0].startswith(hint) and "¿Cuándo llegaste?" in texts[1]
    assert "fecha" not in answers(chat, surveys)


def test_decimals_skip_logic_notes_and_scale(chat: Chat, surveys: MemorySurveys) -> None:
    chat.press("sv:1")
    assert "sv:1:0:skip" in chat.buttons
    texts = chat.press("sv:1:0:skip")
    assert "Pregunta 2 de 4" in texts[-1]
    assert chat.say("0")[0] == "Debe ser más que cero."
    assert "Pregunta 3 de 4" in chat.say("12,5")[-1]
    assert answers(chat, surveys) == {"fecha": None, "gasto": 12.5}
    texts = chat.say("0")  # no children: the school question does not apply
    assert texts[-1].startswith("Seguimiento\n\nÚltima pregunta:") and chat.buttons[-1] == "sv:1:4:ok"
    texts = chat.press("sv:1:4:ok")
    assert "Pregunta 4 de 4" in texts[-1] and chat.buttons[:5] == [f"sv:1:5:{n}" for n in range(5)]
    assert chat.say("muy buena")[0] == "Elige un número del 1 al 5."  # no anchors: only a number
    texts = chat.say("5")
    assert texts[-1].startswith("¡Gracias!") and answers(chat, surveys)["nota"] == 5
    assert surveys.completed(1, chat.state.member_id or "")


def test_a_draft_survey_is_not_offered(chat: Chat) -> None:
    chat.say("/encuestas")
    assert chat.buttons == ["sv:1", "menu"]
    assert "ya no está vigente" in chat.press("sv:2")[-1]


@pytest.mark.parametrize(("locale", "shown"), [("es", "24-12-2025"), ("en", "Dec 24, 2025")])
def test_a_date_answer_is_shown_as_people_read_dates(surveys: MemorySurveys, locale: str, shown: str) -> None:
    directory = MemoryDirectory(barrios={CODE: BarrioRef(id=1, name="Villa Los Aromos", role="vecino")})
    chat = Chat(lambda: memory_context(directory, surveys=surveys))
    chat.say(f"/start {CODE}")
    chat.press(f"join:{locale}:{CODE}")
    chat.press(f"consent:yes:{locale}:{CODE}")
    chat.press("sv:1")
    chat.say("24-12-2025")
    texts = chat.press("sv:1:0:edit")  # going back to the question shows the current answer
    assert any(shown in text for text in texts), texts
    assert not any("2025-12-24" in text for text in texts)
