"""Groups, calculations, cascading choices and references in the survey conversation, as pure tables."""

from typing import Any

import pytest

from conversations.kernel.members import BarrioRef
from conversations.surveys.answers import Answers
from conversations.surveys.form import Form
from conversations.surveys.reading import FormError
from tests.fakes.ports import Chat, MemoryDirectory, MemorySurveys, memory_context

CODE = "K7MP2Q"
VILLAS = [{"name": "aromos", "label": "Los Aromos", "columns": {"comuna": "lp"}},
          {"name": "castillo", "label": "El Castillo", "columns": {"comuna": "lp"}},
          {"name": "mena", "label": "Bajos de Mena", "columns": {"comuna": "pa"}}]
FORM: dict[str, Any] = {
    "title": {"es": "Hogar", "en": "Household"},
    "questions": [
        {"name": "personas", "type": "integer", "required": True,
         "label": {"es": "¿Cuántas personas?", "en": "How many people?"}},
        {"name": "comuna", "type": "select_one", "required": True, "label": {"es": "¿Comuna?", "en": "Comuna?"},
         "choices": [{"name": "lp", "label": {"es": "La Pintana", "en": "La Pintana (LP)"}},
                     {"name": "pa", "label": {"es": "Puente Alto", "en": "Puente Alto (PA)"}}]},
        {"name": "hogar", "type": "group", "label": {"es": "Tu hogar", "en": "Your home"},
         "relevant": "${personas} > 1",
         "questions": [
             {"name": "villa", "type": "select_one", "label": "¿Villa?", "choice_filter": "comuna = ${comuna}",
              "choices": VILLAS},
             {"name": "grande", "type": "calculate", "calculation": "if(${personas} > 4, 'si', 'no')"},
             {"name": "camas", "type": "integer", "relevant": "${grande} = 'si'",
              "label": {"es": "¿Cuántas camas para las ${personas}?", "en": "How many beds for the ${personas}?"},
              "hint": {"es": "Cuenta las literas como dos.", "en": "Bunk beds count as two."}},
         ]},
        {"name": "fin", "type": "note", "label": {"es": "Vives en ${comuna}.", "en": "You live in ${comuna}."}},
    ],
}
PERSONAS, COMUNA, VILLA, GRANDE, CAMAS, FIN = range(6)


@pytest.fixture
def surveys() -> MemorySurveys:
    memory = MemorySurveys()
    memory.add(1, barrio_id=1, definition=FORM)
    return memory


def _chat(surveys: MemorySurveys, locale: str) -> Chat:
    directory = MemoryDirectory(barrios={CODE: BarrioRef(id=1, name="Villa Los Aromos", role="vecino")})
    chat = Chat(lambda: memory_context(directory, surveys=surveys))
    chat.say(f"/start {CODE}")
    chat.press(f"join:{locale}:{CODE}")
    chat.press(f"consent:yes:{locale}:{CODE}")
    chat.press("sv:1")
    return chat


def _stored(chat: Chat, surveys: MemorySurveys) -> dict[str, Any]:
    return surveys.answers(1, chat.state.member_id or "")


def _labels(chat: Chat) -> list[str]:
    return [b.label.partition(". ")[2] for reply in chat.last for row in reply.buttons for b in row
            if ":" not in b.label and "«" not in b.label and b.label not in ("Omitir", "Skip", "Mantener", "Keep")]


@pytest.mark.parametrize(("locale", "personas", "comuna", "villas", "asked", "note"), [
    ("es", "1", "lp", None, None, "Vives en La Pintana."),  # the group does not apply
    ("en", "3", "pa", ["Bajos de Mena"], None, "You live in Puente Alto (PA)."),
    ("es", "6", "lp", ["Los Aromos", "El Castillo"], "¿Cuántas camas para las 6?\nCuenta las literas como dos.", None),
    ("en", "6", "pa", ["Bajos de Mena"], "How many beds for the 6?\nBunk beds count as two.", None),
])
def test_groups_calculations_choice_filters_and_references(
        surveys: MemorySurveys, locale: str, personas: str, comuna: str, villas: list[str] | None,
        asked: str | None, note: str | None) -> None:
    chat = _chat(surveys, locale)
    chat.say(personas)
    texts = chat.press(f"sv:1:{COMUNA}:{0 if comuna == 'lp' else 1}")
    if villas is None:
        assert note in texts[-1] and "▸" not in texts[-1]
        assert _stored(chat, surveys)["grande"] is None  # outside its group's relevance: no value
        return
    heading = {"es": "▸ Tu hogar", "en": "▸ Your home"}[locale]
    assert heading in texts[-1] and _labels(chat) == villas
    texts = chat.say("1")  # a typed number picks among the filtered choices
    assert _stored(chat, surveys)["villa"] == {"Los Aromos": "aromos", "Bajos de Mena": "mena"}[villas[0]]
    if asked is None:
        assert note in texts[-1]
    else:
        assert asked in texts[-1] and "▸" not in texts[-1]  # still the same section


def test_a_calculation_follows_its_inputs_and_stale_answers_are_forgotten(surveys: MemorySurveys) -> None:
    chat = _chat(surveys, "es")
    chat.say("6")
    chat.press(f"sv:1:{COMUNA}:0")
    chat.press(f"sv:1:{VILLA}:1")
    chat.say("4")
    assert _stored(chat, surveys) == {"personas": 6, "comuna": "lp", "villa": "castillo", "grande": "si",
                                      "camas": 4}
    chat.press(f"sv:1:{PERSONAS}:edit")
    chat.say("3")  # no longer "grande": the beds question no longer applies
    assert _stored(chat, surveys)["grande"] == "no" and "camas" not in _stored(chat, surveys)
    chat.press(f"sv:1:{PERSONAS}:edit")
    chat.say("1")  # the whole group no longer applies
    stored = _stored(chat, surveys)
    assert stored["grande"] is None and "villa" not in stored and stored["personas"] == 1


def test_a_choice_the_filter_no_longer_offers_is_asked_again(surveys: MemorySurveys) -> None:
    chat = _chat(surveys, "es")
    chat.say("2")
    chat.press(f"sv:1:{COMUNA}:1")
    chat.press(f"sv:1:{VILLA}:0")
    assert _stored(chat, surveys)["villa"] == "mena"
    chat.press(f"sv:1:{COMUNA}:edit")
    texts = chat.press(f"sv:1:{COMUNA}:0")  # now La Pintana: Bajos de Mena is not one of its villas
    assert "villa" not in _stored(chat, surveys)
    assert "¿Villa?" in texts[-1] and _labels(chat) == ["Los Aromos", "El Castillo"]


@pytest.mark.parametrize(("change", "message"), [
    ({"choice_filter": "barrio = ${comuna}"}, "the choices have no column barrio"),
    ({"relevant": "comuna = 'lp'"}, "write ${comuna} to refer to a question"),
    ({"label": "Villa en ${zona}"}, "refers to zona"),
    ({"calculation": "1 +"}, "calculation"),
])
def test_definition_problems_are_all_named(change: dict[str, Any], message: str) -> None:
    group = {**FORM["questions"][2], "questions": [{**VILLAS_QUESTION, **change}]}
    broken = {**FORM, "questions": [*FORM["questions"][:2], group, {"name": "x", "type": "magic", "label": "X"}]}
    with pytest.raises(FormError) as raised:
        Form.load(broken)
    found = [str(p) for p in raised.value.problems]
    assert any(message in p for p in found), found
    assert any("unsupported type 'magic'" in p for p in found)  # reported together


VILLAS_QUESTION = FORM["questions"][2]["questions"][0]


def test_nested_groups_add_their_conditions_and_the_innermost_label_is_the_heading() -> None:
    form = Form.load({"title": "T", "questions": [
        {"name": "a", "type": "integer", "label": "A"},
        {"name": "g1", "type": "group", "label": "Uno", "relevant": "${a} > 1", "questions": [
            {"name": "g2", "type": "group", "relevant": "${a} > 2", "questions": [
                {"name": "b", "type": "text", "label": "B"}]},
            {"name": "g3", "type": "group", "label": "Tres", "questions": [
                {"name": "c", "type": "text", "label": "C", "relevant": "${a} > 3"}]},
        ]},
    ]})
    b, c = form.questions[1], form.questions[2]
    assert (b.group, b.section, c.group, c.section) == ("g1/g2", {"es": "Uno"}, "g1/g3", {"es": "Tres"})
    assert [(form.relevant(1, {"a": n}), form.relevant(2, {"a": n})) for n in (1, 2, 3, 4)] == [
        (False, False), (False, False), (True, False), (True, True)]


def test_applies_from_the_last_walk_matches_a_fresh_walk() -> None:
    """Deciding again only what reads a changed answer gives what deciding everything gives."""
    definition = {"title": "Pasos", "questions": [
        {"name": "a", "type": "integer", "label": "A"},
        {"name": "g", "type": "group", "label": "G", "relevant": "${a} > 1", "questions": [
            {"name": "b", "type": "integer", "label": "B", "relevant": "${a} + ${c} > 3"},
            {"name": "h", "type": "group", "relevant": "${b} != 2", "questions": [
                {"name": "c", "type": "integer", "label": "C"},
                {"name": "d", "type": "text", "label": "D", "relevant": "today() > '2000-01-01' and ${c} = 1"}]}]},
        {"name": "e", "type": "text", "label": "E", "relevant": "not(${d} = 'x')"}]}
    walked = Form.load(definition)
    steps = [{}, {"a": 2}, {"a": 2, "b": 2}, {"a": 2, "b": 1, "c": 1}, {"a": 0, "b": 1, "c": 1, "d": "x"},
             {"a": 5, "c": 1, "d": "x"}, {"a": 5, "c": 1, "d": None}, {}, {"b": 3, "c": 0}]
    for answers in steps:
        assert walked.applies(Answers(answers)) == Form.load(definition).applies(answers), answers
