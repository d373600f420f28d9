"""Express consent before a survey's sensitive questions (Ley 21.719), as pure tables."""
import pytest

from tests.factories import joined_chat
from tests.fakes.ports import Chat, MemorySurveys

CODE = "K7MP2Q"
FORM = {
    "title": {"es": "Diagnóstico", "ht": "Dyagnostik", "en": "Diagnosis"},
    "questions": [
        {"name": "edad", "type": "integer", "required": True, "label": "¿Cuántos años tienes?"},
        {"name": "hogar", "type": "group", "sensitive": True,
         "label": {"es": "Ingresos del hogar", "ht": "Revni fanmi an", "en": "Household income"},
         "questions": [
             {"name": "ingreso", "type": "select_one", "required": True, "label": "¿Te alcanza el ingreso?",
              "choices": [{"name": "si", "label": "Sí"}, {"name": "no", "label": "No"}]},
             {"name": "deuda", "type": "integer", "label": "¿Cuántas deudas?", "relevant": "${ingreso} = 'no'"},
         ]},
        {"name": "apoyo", "type": "text", "label": "¿Qué apoyo necesitas?", "relevant": "${ingreso} = 'no'"},
        {"name": "nota", "type": "scale", "required": True, "label": "¿Nota al barrio?"},
    ],
}
ASKED = {
    "es": ("temas sensibles: Ingresos del hogar.", "Sí, responder", "No, saltarlas"),
    "ht": ("sijè ki delika: Revni fanmi an.", "Wi, reponn", "Non, sote yo"),
    "en": ("sensitive matters: Household income.", "Yes, answer", "No, skip them"),
}


@pytest.fixture
def surveys() -> MemorySurveys:
    memory = MemorySurveys()
    memory.add(1, barrio_id=1, definition=FORM)
    return memory


def vecina(surveys: MemorySurveys, locale: str = "es") -> Chat:
    return joined_chat(CODE, locale=locale, surveys=surveys)


def stored(chat: Chat, surveys: MemorySurveys) -> dict[str, object]:
    return surveys.answers(1, chat.state.member_id or "")


def consent(chat: Chat, surveys: MemorySurveys) -> bool | None:
    return surveys.consent(1, chat.state.member_id or "")


@pytest.mark.parametrize("locale", ["es", "ht", "en"])
def test_the_consent_step_names_what_is_asked_before_the_first_sensitive_question(
        surveys: MemorySurveys, locale: str) -> None:
    chat = vecina(surveys, locale)
    chat.press("sv:1")
    texts = chat.say("40")
    topic, accept, decline = ASKED[locale]
    assert topic in texts[-1] and "¿Te alcanza" not in texts[-1]
    assert [(b.label, b.data) for row in chat.last[-1].buttons for b in row] == [
        (accept, "sv:1:1:consent:yes"), (decline, "sv:1:1:consent:no")]
    assert consent(chat, surveys) is None and "ingreso" not in stored(chat, surveys)


def test_accepting_asks_them_and_is_remembered(surveys: MemorySurveys) -> None:
    chat = vecina(surveys)
    chat.press("sv:1")
    chat.say("40")
    texts = chat.press("sv:1:1:consent:yes")
    assert "▸ Ingresos del hogar" in texts[-1] and "¿Te alcanza el ingreso?" in texts[-1]
    chat.press("sv:1:1:1")  # no
    texts = chat.say("/menu")  # walks away at "¿Cuántas deudas?"
    texts = chat.press("sv:1")
    assert "¿Cuántas deudas?" in texts[-1]  # resumed without asking consent again
    chat.say("2")
    chat.say("Trabajo")
    texts = chat.press("sv:1:4:3")
    assert texts[-1].startswith("¡Gracias!")
    assert "Aceptaste responder las preguntas sobre: Ingresos del hogar." in texts[-1]
    assert stored(chat, surveys) == {"edad": 40, "ingreso": "no", "deuda": 2, "apoyo": "Trabajo", "nota": 4}


def test_declining_skips_them_without_an_answer_and_the_survey_goes_on(surveys: MemorySurveys) -> None:
    chat = vecina(surveys)
    chat.press("sv:1")
    chat.say("40")
    texts = chat.press("sv:1:1:consent:no")
    # the group is skipped, and so is what reads its answers (no answer, as if skipped)
    assert "¿Nota al barrio?" in texts[-1] and "Pregunta 2 de 2" in texts[-1]
    assert consent(chat, surveys) is False and stored(chat, surveys) == {"edad": 40}
    texts = chat.press("sv:1:4:2")
    assert texts[-1].startswith("¡Gracias!") and surveys.completed(1, chat.state.member_id or "")
    assert "Elegiste no responder las preguntas sobre: Ingresos del hogar." in texts[-1]
    assert "¿Te alcanza" not in texts[-1] and "sv:1:consent" in chat.buttons
    assert stored(chat, surveys) == {"edad": 40, "nota": 3}
    texts = chat.press("sv:1")  # asked once: coming back shows the review
    assert texts[-1].startswith("Tus respuestas") and "sv:1:1:consent:yes" not in chat.buttons


def test_the_choice_can_be_changed_from_the_review(surveys: MemorySurveys) -> None:
    chat = vecina(surveys)
    chat.press("sv:1")
    chat.say("40")
    chat.press("sv:1:1:consent:no")
    chat.press("sv:1:4:2")
    texts = chat.press("sv:1:consent")
    assert "temas sensibles: Ingresos del hogar." in texts[-1] and chat.buttons == [
        "sv:1:1:consent:yes", "sv:1:1:consent:no"]
    texts = chat.press("sv:1:1:consent:yes")
    assert "¿Te alcanza el ingreso?" in texts[-1]
    texts = chat.press("sv:1:1:0")  # sí: nothing else applies
    assert texts[-1].startswith("Listo, cambio guardado.") and "— Sí" in texts[-1]
    assert consent(chat, surveys) is True and stored(chat, surveys)["ingreso"] == "si"

    chat.press("sv:1:consent")
    texts = chat.press("sv:1:1:consent:no")  # declined after all: what was answered goes
    assert consent(chat, surveys) is False and stored(chat, surveys) == {"edad": 40, "nota": 3}
    assert "Elegiste no responder" in texts[-1]


def test_typing_or_old_buttons_at_the_consent_step_store_nothing(surveys: MemorySurveys) -> None:
    chat = vecina(surveys)
    chat.press("sv:1")
    chat.say("40")
    texts = chat.say("quizás")
    assert "Toca un botón, o escribe «sí» o «no»." in texts and "temas sensibles" in texts[-1]
    assert "ingreso" not in stored(chat, surveys)
    texts = chat.press("sv:1:1:1")  # a forged answer to the sensitive question before consent
    assert "ya no está vigente" in texts[-1] and "ingreso" not in stored(chat, surveys)
    assert "ya no está vigente" in chat.press("sv:1:4:consent:yes")[-1]  # not a sensitive question
    assert consent(chat, surveys) is None


@pytest.mark.parametrize(("locale", "yes", "no", "hint"), [
    ("es", "Sí", "no", "Toca un botón, o escribe «sí» o «no»."),
    ("ht", "wi", "NON", "Peze yon bouton, oswa ekri «wi» oswa «non»."),
    ("en", "yes!", "No", "Tap a button, or type «yes» or «no»."),
])
def test_the_consent_step_takes_a_typed_yes_or_no_in_the_vecinos_language(
        surveys: MemorySurveys, locale: str, yes: str, no: str, hint: str) -> None:
    declines = vecina(surveys, locale)
    declines.press("sv:1")
    declines.say("40")
    assert hint in declines.say("tal vez")  # neither: the hint, and the step again, nothing kept
    assert consent(declines, surveys) is None
    declines.say(no)  # "no" declines: the sensitive questions are skipped, "no" is no answer to them
    assert consent(declines, surveys) is False and "ingreso" not in stored(declines, surveys)
    other = MemorySurveys()
    other.add(1, barrio_id=1, definition=FORM)
    agrees = vecina(other, locale)
    agrees.press("sv:1")
    agrees.say("40")
    texts = agrees.say(yes)
    assert consent(agrees, other) is True and "¿Te alcanza el ingreso?" in texts[-1]
    assert "ingreso" not in stored(agrees, other)  # consent given, the question not yet answered
