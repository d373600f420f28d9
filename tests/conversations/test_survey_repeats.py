"""Repeats in the survey conversation, as pure tables: a household roster asked once per member."""

from typing import Any

import pytest

from conversations.kernel.members import BarrioRef
from conversations.surveys.answers import Answers
from conversations.surveys.expr import parse, value
from conversations.surveys.form import Form
from conversations.surveys.questions import STRIDE, Place
from conversations.surveys.reading import FormError
from tests.fakes.ports import Chat, MemoryDirectory, MemorySurveys, memory_context

CODE = "K7MP2Q"
SI_NO = [{"name": "si", "label": {"es": "Sí", "en": "Yes"}}, {"name": "no", "label": {"es": "No", "en": "No"}}]
MEMBER = [
    {"name": "nombre", "type": "text", "required": True, "label": {"es": "¿Nombre?", "en": "Name?"}},
    {"name": "edad", "type": "integer", "required": True, "constraint": ". < 120",
     "constraint_message": {"es": "¿${nombre} tiene . años?", "en": "Is ${nombre} that old?"},
     "label": {"es": "¿Edad de ${nombre}?", "en": "Age of ${nombre}?"}},
    {"name": "escuela", "type": "group", "label": {"es": "Estudios", "en": "School"}, "relevant": "${edad} < 18",
     "questions": [{"name": "estudia", "type": "select_one", "required": True, "choices": SI_NO,
                    "label": {"es": "¿${nombre} estudia?", "en": "Does ${nombre} go to school?"}}]},
    {"name": "numero", "type": "calculate", "calculation": "position(..)"},
]
COUNTED: dict[str, Any] = {  # as many members as the household size answered first
    "title": {"es": "Hogar", "en": "Household"},
    "questions": [
        {"name": "personas", "type": "integer", "required": True,
         "label": {"es": "¿Cuántas personas viven en tu hogar?", "en": "How many people live in your home?"}},
        {"name": "persona", "type": "repeat", "label": {"es": "Persona", "en": "Person"},
         "repeat_count": "${personas}", "questions": MEMBER},
        {"name": "suma", "type": "calculate", "calculation": "sum(${edad})"},
        {"name": "cuantos", "type": "calculate", "calculation": "count(${persona})"},
        {"name": "segundo", "type": "calculate", "calculation": "indexed-repeat(${nombre}, ${persona}, 2)"},
        {"name": "fin", "type": "note", "label": {"es": "Suman ${suma} años; la segunda persona es ${segundo}.",
                                                  "en": "Ages add up to ${suma}; the second person is ${segundo}."}},
    ],
}
OPEN_ENDED: dict[str, Any] = {  # no repeat_count: "add another?" after each member
    "title": "Vecinos",
    "questions": [
        {"name": "miembro", "type": "repeat", "label": {"es": "Miembro", "en": "Member"},
         "questions": [{"name": "quien", "type": "text", "required": True,
                        "label": {"es": "¿Nombre?", "en": "Name?"}}]},
        {"name": "cierre", "type": "text", "label": {"es": "¿Algo más?", "en": "Anything else?"}},
    ],
}
PERSONAS, NOMBRE, EDAD, ESTUDIA, NUMERO, PERSONA, SUMA, CUANTOS, SEGUNDO, FIN = range(10)
QUIEN, MIEMBRO, CIERRE = range(3)


def at(index: int, instance: int = 0) -> int:
    """The place's number in button data."""
    return Place(index, instance).number


def _chat(definition: dict[str, Any], locale: str = "es") -> tuple[Chat, MemorySurveys]:
    surveys = MemorySurveys()
    surveys.add(1, barrio_id=1, definition=definition)
    directory = MemoryDirectory(barrios={CODE: BarrioRef(id=1, name="Villa Los Aromos", role="vecino")})
    chat = Chat(lambda: memory_context(directory, surveys=surveys))
    chat.say(f"/start {CODE}")
    chat.press(f"join:{locale}:{CODE}")
    chat.press(f"consent:yes:{locale}:{CODE}")
    chat.press("sv:1")
    return chat, surveys


def _stored(chat: Chat, surveys: MemorySurveys) -> dict[str, Any]:
    return surveys.answers(1, chat.state.member_id or "")


@pytest.mark.parametrize(("locale", "first", "second", "school", "end"), [
    ("es", "Persona 1 de 2", "Persona 2 de 2", "¿Beto estudia?", "Suman 50 años; la segunda persona es Beto."),
    ("en", "Person 1 of 2", "Person 2 of 2", "Does Beto go to school?",
     "Ages add up to 50; the second person is Beto."),
])
def test_a_household_roster_is_asked_as_many_times_as_the_household_size(
        locale: str, first: str, second: str, school: str, end: str) -> None:
    chat, surveys = _chat(COUNTED, locale)
    texts = chat.say("2")
    assert first in texts[-1] and ("¿Nombre?" if locale == "es" else "Name?") in texts[-1]
    chat.say("Ana")
    texts = chat.say("40")  # an adult: the school group does not apply to her
    assert second in texts[-1]
    chat.say("Beto")
    texts = chat.say("130")  # the constraint reads this instance's name
    assert texts[0] == ("¿Beto tiene . años?" if locale == "es" else "Is Beto that old?")
    texts = chat.say("10")
    assert school in texts[-1] and second in texts[-1]
    texts = chat.press(f"sv:1:{at(ESTUDIA, 2)}:0")
    assert end in texts[-1]
    assert _stored(chat, surveys) == {
        "personas": 2, "nombre#1": "Ana", "edad#1": 40, "numero#1": 1, "nombre#2": "Beto", "edad#2": 10,
        "estudia#2": "si", "numero#2": 2, "suma": 50, "cuantos": 2, "segundo": "Beto"}


def test_going_back_crosses_instances_and_a_smaller_household_forgets_the_rest() -> None:
    chat, surveys = _chat(COUNTED)
    chat.say("2")
    chat.say("Ana")
    chat.say("40")
    texts = chat.press(f"sv:1:{at(NOMBRE, 2)}:back")  # from the second person's name to the first's age
    assert "Persona 1 de 2" in texts[-1] and "¿Edad de Ana?" in texts[-1] and "Tu respuesta actual: 40" in texts[-1]
    assert f"sv:1:{at(NOMBRE, 2)}:0" not in chat.buttons  # the buttons are the first person's now
    texts = chat.press(f"sv:1:{at(EDAD, 1)}:ok")  # «Mantener»
    assert "Persona 2 de 2" in texts[-1] and "¿Nombre?" in texts[-1]
    chat.press(f"sv:1:{at(EDAD, 1)}:ok")  # the first person's button again: stale, the place stays
    assert chat.state.data["q"] == at(NOMBRE, 2)
    chat.say("Beto")
    chat.say("10")
    chat.press(f"sv:1:{at(ESTUDIA, 2)}:1")
    review = chat.press(f"sv:1:{at(FIN)}:ok")[-1]
    assert "Persona 2 de 2 · ¿Beto estudia? — No" in review and "Persona 1 de 2 · ¿Nombre? — Ana" in review
    chat.press(f"sv:1:{at(PERSONAS)}:edit")
    texts = chat.say("1")
    stored = _stored(chat, surveys)
    assert not any(key.endswith("#2") for key in stored) and stored["suma"] == 40 and stored["cuantos"] == 1
    assert texts[-1].startswith("Listo, cambio guardado.") and "Persona 1 de 1 · ¿Edad de Ana? — 40" in texts[-1]


def test_without_a_count_the_vecino_is_asked_whether_to_add_another() -> None:
    chat, surveys = _chat(OPEN_ENDED)
    texts = chat.say("Ana")
    assert "Miembro 1" in texts[-1] and "«Miembro»: llevas 1. ¿Quieres agregar otra entrada?" in texts[-1]
    assert [b.label for reply in chat.last for row in reply.buttons for b in row] == [
        "Sí, agregar otra", "No, seguir", "« Atrás"]
    texts = chat.press(f"sv:1:{at(MIEMBRO, 1)}:0")
    assert "Miembro 2" in texts[-1] and "¿Nombre?" in texts[-1]
    chat.say("Beto")
    texts = chat.press(f"sv:1:{at(MIEMBRO, 2)}:1")
    assert "¿Algo más?" in texts[-1]
    texts = chat.press(f"sv:1:{at(CIERRE)}:back")  # back to the last "add another?"
    assert "llevas 2" in texts[-1] and "Tu respuesta actual: No" in texts[-1]
    chat.press(f"sv:1:{at(MIEMBRO, 2)}:ok")
    texts = chat.press(f"sv:1:{at(CIERRE)}:skip")
    assert "Miembro 2 · «Miembro»: llevas 2. ¿Quieres agregar otra entrada? — No" in texts[-1]
    assert _stored(chat, surveys) == {"quien#1": "Ana", "miembro#1": True, "quien#2": "Beto", "miembro#2": False,
                                      "cierre": None}
    chat.press(f"sv:1:{at(MIEMBRO, 2)}:edit")  # from the review: one more after all
    texts = chat.press(f"sv:1:{at(MIEMBRO, 2)}:0")
    assert "Miembro 3" in texts[-1]
    chat.say("Carla")
    chat.press(f"sv:1:{at(MIEMBRO, 3)}:1")
    chat.press(f"sv:1:{at(MIEMBRO, 1)}:edit")  # "no more" after the first: the second and third go
    texts = chat.press(f"sv:1:{at(MIEMBRO, 1)}:1")
    assert _stored(chat, surveys) == {"quien#1": "Ana", "miembro#1": False, "cierre": None}
    assert texts[-1].startswith("Listo, cambio guardado.")


def test_the_add_another_question_is_asked_in_english_and_cannot_be_typed() -> None:
    chat, _ = _chat(OPEN_ENDED, "en")
    texts = chat.say("Ana")
    assert "Member 1" in texts[-1] and "«Member»: 1 so far. Add another entry?" in texts[-1]
    assert "Yes, add another" in [b.label for reply in chat.last for row in reply.buttons for b in row]
    texts = chat.say("yes")
    assert texts[0] == "For this question, use the buttons."


ROSTER = Form.load({**COUNTED, "questions": [*COUNTED["questions"][:2], {
    "name": "mayor", "type": "calculate", "calculation": "max(${edad})"}]})
ANSWERS = {"personas": 3, "nombre#1": "Ana", "edad#1": 40, "nombre#2": "Beto", "edad#2": 10,
           "nombre#3": "Caro", "edad#3": 7}


@pytest.mark.parametrize(("expression", "place", "expected"), [
    ("position(..)", Place(NOMBRE, 2), 2),
    ("position(..) = 3", Place(EDAD, 3), True),
    ("${nombre}", Place(NOMBRE, 2), "Beto"),  # a sibling: this instance's answer
    ("concat(${nombre}, ' ', ${edad})", Place(EDAD, 3), "Caro 7"),
    ("${nombre}", Place(PERSONAS), "Ana"),  # from outside the repeat: the first instance
    ("count(${persona})", Place(PERSONAS), 3),
    ("count(${edad})", Place(NOMBRE, 1), 1),  # inside its repeat a sibling is this instance's, as pyxform writes it
    ("count(${edad})", Place(PERSONAS), 3),
    ("sum(${edad})", Place(PERSONAS), 57),
    ("sum(${edad}) - ${edad}", Place(EDAD, 1), 0),
    ("max(${edad})", Place(PERSONAS), 40),
    ("min(${edad})", Place(PERSONAS), 7),
    ("indexed-repeat(${nombre}, ${persona}, 3)", Place(PERSONAS), "Caro"),
    ("indexed-repeat(${nombre}, ${persona}, position(..) - 1)", Place(NOMBRE, 2), "Ana"),
    ("indexed-repeat(${nombre}, ${persona}, 9)", Place(PERSONAS), ""),
    ("count-non-empty(${estudia})", Place(PERSONAS), 0),
])
def test_repeat_functions_read_every_instance(expression: str, place: Place, expected: Any) -> None:
    assert value(parse(expression), ROSTER.seen(ANSWERS, place)) == expected


def test_sum_of_an_unanswered_instance_is_empty_and_the_count_follows_the_household_size() -> None:
    assert value(parse("sum(${edad})"), ROSTER.seen({**ANSWERS, "personas": 4}, Place(PERSONAS))) == ""
    assert ROSTER.instances({**ANSWERS, "personas": "dos"}, "persona") == 0
    assert ROSTER.instances({**ANSWERS, "personas": 5000}, "persona") == 50  # bounded
    assert ROSTER.recalculate(ANSWERS, {"edad#3"}) == {"mayor": 40, "numero#1": 1, "numero#2": 2, "numero#3": 3}


def test_what_one_form_derives_step_by_step_matches_a_fresh_form() -> None:
    """The walk, stale answers and recalculation kept from the last answers (and recalculating only what
    depends on a change) give what a form that never saw other answers gives, computing everything."""
    kept, stored = Form.load(COUNTED), Answers()
    steps = [{"personas": 2}, {"nombre#1": "Ana"}, {"edad#1": 40}, {"nombre#2": "Beto"}, {"edad#2": 10},
             {"estudia#2": "si"}, {"personas": 3}, {"nombre#3": "Caro", "edad#3": 70}, {"edad#2": 30},
             {"personas": 1}, {"personas": 2}, {"edad#1": 12}]
    for step in steps:
        stored = stored.but(step)  # a new version, as the chat's store makes
        fresh = Form.load(COUNTED)
        assert kept.walk(stored) == fresh.walk(stored)
        assert kept.holding(stored) == fresh.holding(stored)
        assert kept.listed(stored) == fresh.listed(stored)
        gone = kept.stale(stored)
        assert gone == fresh.stale(stored)
        stored = stored.but(dropped=gone)
        stored = stored.but(kept.recalculate(stored, {*step, *gone}))
        everything = {key: answer for key, answer in stored.items() if fresh.question(key.partition("#")[0])
                      and fresh.question(key.partition("#")[0]).type != "calculate"}  # type: ignore[union-attr]
        assert stored == {**everything, **fresh.recalculate(everything, set(everything))}, step


def test_a_place_is_one_number_in_button_data() -> None:
    assert Place(3, 2).number == 2 * STRIDE + 3 and Place.of(2 * STRIDE + 3) == Place(3, 2)
    assert Place.of(7) == Place(7, 0)


@pytest.mark.parametrize(("questions", "message"), [
    ([{"name": "r", "type": "repeat", "label": "R", "questions": [
        {"name": "s", "type": "repeat", "label": "S", "questions": [{"name": "a", "type": "text", "label": "A"}]}]}],
     "a repeat inside the repeat 'r' is not supported"),
    ([{"name": "r", "type": "repeat", "label": "R", "repeat_count": "${n}",
       "questions": [{"name": "a", "type": "text", "label": "A"}]},
      {"name": "n", "type": "integer", "label": "N"}], "repeat_count: it may only refer to questions asked before"),
    ([{"name": "r", "type": "repeat", "label": "R", "questions": []}], "a repeat needs questions"),
    ([{"name": "r", "type": "repeat", "label": "R", "repeat_count": "3 +",
       "questions": [{"name": "a", "type": "text", "label": "A"}]}], "repeat_count: "),
    ([{"name": "r", "type": "repeat", "label": "R",
       "questions": [{"name": "a" * 61, "type": "text", "label": "A"}]}], "at most 60 characters"),
])
def test_repeat_problems_are_named(questions: list[dict[str, Any]], message: str) -> None:
    with pytest.raises(FormError) as raised:
        Form.load({"title": "T", "questions": [{"name": "x", "type": "text", "label": "X"}, *questions]})
    assert any(message in str(p) for p in raised.value.problems), raised.value.problems


def test_declining_sensitive_questions_skips_them_in_every_instance_and_a_change_of_mind_forgets_them() -> None:
    form = {"title": "Salud", "questions": [
        {"name": "personas", "type": "integer", "label": "¿Cuántas?", "required": True},
        {"name": "persona", "type": "repeat", "label": "Persona", "repeat_count": "${personas}", "questions": [
            {"name": "nombre", "type": "text", "label": "¿Nombre?", "required": True},
            {"name": "cronica", "type": "select_one", "label": "¿${nombre} tiene una enfermedad crónica?",
             "sensitive": True, "choices": SI_NO}]},
    ]}
    chat, surveys = _chat(form)
    chat.say("2")
    texts = chat.say("Ana")
    assert "temas sensibles" in texts[-1]
    texts = chat.press(f"sv:1:{at(2, 1)}:consent:yes")
    assert "¿Ana tiene una enfermedad crónica?" in texts[-1]
    chat.press(f"sv:1:{at(2, 1)}:0")
    chat.say("Beto")
    texts = chat.press(f"sv:1:{at(2, 2)}:1")
    assert "Persona 2 de 2 · ¿Beto tiene una enfermedad crónica? — No" in texts[-1]
    chat.press("sv:1:consent")
    texts = chat.press(f"sv:1:{at(2, 1)}:consent:no")
    assert _stored(chat, surveys) == {"personas": 2, "nombre#1": "Ana", "nombre#2": "Beto"}
    assert "Persona 2 de 2 · ¿Nombre? — Beto" in texts[-1] and "¿Beto tiene" not in texts[-1]


def test_versions_of_the_answers_evaluated_from_any_earlier_one_match_the_reference() -> None:
    """Answers are frozen versions; one evaluated after skipped versions (their changes put together), one read
    anew with the same answers, and one with a plain dict all give what the reference gives."""
    form = Form.load(COUNTED)
    first = Answers({"personas": 2, "nombre#1": "Ana", "edad#1": 12, "estudia#1": "si"})
    form.holding(first)
    with pytest.raises(TypeError):
        first["personas"] = 3  # type: ignore[index]
    older = first.but({"edad#1": 40})
    old = older.but({"personas": 3})
    skipped = old.but(dropped=["estudia#1"])  # after two versions never evaluated
    third = Answers({**skipped, "nombre#3": "Caro"})
    later = [skipped, Answers(dict(skipped)), dict(third), third.but({"personas": 1})]
    for answers in later:
        kept, fresh = form.evaluation(answers), form.reference(answers)
        assert (kept.vector, kept.walk, kept.holding, kept.listed, kept.stale) == (
            fresh.vector, fresh.walk, fresh.holding, fresh.listed, fresh.stale), answers
        assert kept.instances("persona") == fresh.instances("persona") == answers["personas"]
    assert form.stale(later[-1]) == ["nombre#3"] and "estudia#1" not in skipped
