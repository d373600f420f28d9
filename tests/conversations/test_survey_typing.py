"""Choices typed instead of pressed, scale anchors, and published results, in the survey conversation."""
import pytest

from conversations.surveys.form import Form
from conversations.surveys.reading import FormError
from tests.factories import joined_chat
from tests.fakes.ports import Chat, MemorySurveys

CODE = "K7MP2Q"


def _l(es: str, ht: str, en: str) -> dict[str, str]:
    return {"es": es, "ht": ht, "en": en}


FORM = {
    "title": _l("Consulta", "Konsiltasyon", "Poll"),
    "questions": [
        {"name": "frecuencia", "type": "select_one", "required": True,
         "label": _l("¿Vas a la sede?", "Èske ou ale nan lokal la?", "Do you go to the hall?"),
         "choices": [{"name": "nunca", "label": _l("Nunca", "Janm", "Never")},
                     {"name": "a_veces", "label": _l("A veces", "Pafwa", "Sometimes")},
                     {"name": "siempre", "label": _l("Siempre", "Toujou", "Always")}]},
        {"name": "servicios", "type": "select_multiple", "required": True,
         "label": _l("¿Qué falta?", "Kisa ki manke?", "What is missing?"),
         "choices": [{"name": "agua", "label": _l("Agua", "Dlo", "Water")},
                     {"name": "luz", "label": _l("Luz eléctrica", "Limyè", "Electricity")},
                     {"name": "plazas", "label": _l("Plazas", "Plas", "Squares")},
                     {"name": "plaguicida", "label": _l("Plaguicida", "Pestisid", "Pesticide")}]},
        {"name": "confianza", "type": "scale", "required": True,
         "label": _l("¿Cuánto confías en tus vecinos?", "Konbyen ou fè vwazen ou konfyans?",
                     "How much do you trust your neighbours?"),
         "anchors": {"low": _l("nada", "pa ditou", "not at all"), "high": _l("mucho", "anpil", "a lot")}},
        {"name": "entorno", "type": "scale", "required": True, "label": "¿Nota al entorno?"},
    ],
}


@pytest.fixture
def surveys() -> MemorySurveys:
    memory = MemorySurveys()
    memory.add(1, barrio_id=1, definition=FORM)
    return memory


def _chat(surveys: MemorySurveys, locale: str = "es") -> Chat:
    return joined_chat(CODE, locale=locale, surveys=surveys)


def _stored(chat: Chat, surveys: MemorySurveys) -> dict[str, object]:
    return surveys.answers(1, chat.state.member_id or "")


@pytest.mark.parametrize(("locale", "typed", "stored"), [
    ("es", "2", "a_veces"),  # its number
    ("es", "a veces", "a_veces"),  # its label, any case
    ("es", "  A VECES. ", "a_veces"),
    ("es", "siem", "siempre"),  # an unambiguous beginning
    ("es", "simpre", "siempre"),  # a close spelling
    ("es", "nunca!", "nunca"),
    ("ht", "pafwa", "a_veces"),  # in the vecino's language
    ("ht", "Janm", "nunca"),
    ("ht", "Nunca", "nunca"),  # or in the form's own
    ("en", "sometimes", "a_veces"),
    ("en", "3", "siempre"),
])
def test_a_typed_choice_is_taken_as_pressed(surveys: MemorySurveys, locale: str, typed: str, stored: str) -> None:
    chat = _chat(surveys, locale)
    chat.press("sv:1")
    texts = chat.say(typed)
    assert _stored(chat, surveys) == {"frecuencia": stored}
    assert "2" in texts[-1] and chat.buttons[0] == "sv:1:1:0"  # on to the next question


@pytest.mark.parametrize(("locale", "typed", "hint"), [
    ("es", "tal vez", "No encontré «tal vez» entre las opciones. Toca un botón o escribe el número de la opción."),
    ("es", "7", "No encontré «7» entre las opciones."),
    ("ht", "petèt", "Mwen pa jwenn «petèt» nan chwa yo. Peze yon bouton oswa ekri nimewo chwa a."),
    ("en", "maybe", "I couldn't find “maybe” among the options. Tap a button or type the option's number."),
])
def test_a_typed_choice_that_matches_nothing_is_explained(surveys: MemorySurveys, locale: str, typed: str,
                                                          hint: str) -> None:
    chat = _chat(surveys, locale)
    chat.press("sv:1")
    texts = chat.say(typed)
    assert texts[0].startswith(hint) and _stored(chat, surveys) == {}
    assert chat.buttons[:3] == ["sv:1:0:0", "sv:1:0:1", "sv:1:0:2"]  # the same question again


def test_the_choice_buttons_show_the_number_to_type(surveys: MemorySurveys) -> None:
    chat = _chat(surveys)
    chat.press("sv:1")
    labels = [b.label for row in chat.last[-1].buttons for b in row]
    assert labels[:3] == ["1. Nunca", "2. A veces", "3. Siempre"]


@pytest.mark.parametrize(("locale", "typed", "stored"), [
    ("es", "1, 3", ["agua", "plazas"]),
    ("es", "1 3", ["agua", "plazas"]),
    ("es", "agua y luz", ["agua", "luz"]),
    ("es", "Luz electrica", ["luz"]),
    ("ht", "dlo ak limyè", ["agua", "luz"]),
    ("en", "squares and water", ["agua", "plazas"]),
])
def test_several_choices_typed_at_once(surveys: MemorySurveys, locale: str, typed: str, stored: list[str]) -> None:
    chat = _chat(surveys, locale)
    chat.press("sv:1")
    chat.say("1")
    chat.say(typed)
    assert _stored(chat, surveys)["servicios"] == stored
    assert chat.buttons[0] == "sv:1:2:0"  # taken as «Listo»: on to the scale


@pytest.mark.parametrize(("locale", "done", "none_yet"), [
    ("es", "listo", "Marca al menos una opción y luego toca «Listo»."),
    ("ht", "Fini", "Make omwen yon chwa"),
    ("en", "DONE", "Choose at least one option"),
])
def test_the_done_button_typed_finishes_a_multiple_choice(surveys: MemorySurveys, locale: str, done: str,
                                                          none_yet: str) -> None:
    chat = _chat(surveys, locale)
    chat.press("sv:1")
    chat.say("1")
    texts = chat.say(done)  # nothing marked yet: said so, the question again
    assert none_yet in texts[0] and "servicios" not in _stored(chat, surveys)
    chat.press("sv:1:1:0")
    chat.press("sv:1:1:2")
    chat.say(done)  # as if «Listo» were pressed
    assert _stored(chat, surveys)["servicios"] == ["agua", "plazas"]
    assert chat.buttons[0] == "sv:1:2:0"  # on to the scale


@pytest.mark.parametrize(("locale", "hint"), [
    ("es", "«pla» puede ser «Plazas», «Plaguicida». Escribe un poco más o toca un botón."),
    ("en", "I couldn't find “pla” among the options."),  # "Squares", "Pesticide": no beginning in English
])
def test_an_ambiguous_beginning_names_the_candidates(surveys: MemorySurveys, locale: str, hint: str) -> None:
    chat = _chat(surveys, locale)
    chat.press("sv:1")
    chat.say("1")
    assert chat.say("agua, pla")[0].startswith(hint)
    assert "servicios" not in _stored(chat, surveys)


def test_a_typed_number_answers_the_current_question_not_an_older_message(surveys: MemorySurveys) -> None:
    chat = _chat(surveys)
    chat.press("sv:1")
    chat.say("1")  # the first question answered: «Nunca»
    chat.say("2")  # now the second question is current: "2" is its second option
    assert _stored(chat, surveys) == {"frecuencia": "nunca", "servicios": ["luz"]}


@pytest.mark.parametrize(("locale", "anchored", "plain"), [
    ("es", "Elige de 1 (nada) a 5 (mucho).", "Elige un número del 1 al 5."),
    ("ht", "Chwazi soti 1 (pa ditou) rive 5 (anpil).", "Chwazi yon nimewo soti 1 rive 5."),
    ("en", "Choose from 1 (not at all) to 5 (a lot).", "Choose a number from 1 to 5."),
])
def test_a_scale_says_what_its_ends_mean(surveys: MemorySurveys, locale: str, anchored: str, plain: str) -> None:
    chat = _chat(surveys, locale)
    chat.press("sv:1")
    chat.say("1")
    texts = chat.say("1")
    assert anchored in texts[-1] and "muy mal" not in texts[-1]
    texts = chat.say("4")
    assert plain in texts[-1]  # no anchors given: no invented meaning
    assert _stored(chat, surveys)["confianza"] == 4


@pytest.mark.parametrize(("locale", "shown"), [("es", "Resultados"), ("ht", "Rezilta"), ("en", "Results")])
def test_published_results_of_a_closed_survey_are_listed_and_shown(surveys: MemorySurveys, locale: str,
                                                                   shown: str) -> None:
    surveys.add(2, barrio_id=1, definition=FORM, status="closed")
    surveys.add(3, barrio_id=1, definition=FORM, status="closed")  # closed, never published: not listed
    surveys.summaries[2] = {"es": "Resultados: 8 vecinos", "ht": "Rezilta: 8 vwazen", "en": "Results: 8 neighbours"}
    chat = _chat(surveys, locale)
    chat.say("/encuestas")
    assert chat.buttons == ["sv:1", "sv:2:results", "menu"]
    assert chat.press("sv:2:results")[-1].startswith(f"{shown}: 8")
    assert chat.buttons == ["sv:list", "menu"]
    texts = chat.press("sv:3:results")  # a forged button of an unpublished survey: the stale answer
    assert not any(text.startswith(shown) for text in texts) and "sv:list" in chat.buttons  # the menu


def test_a_button_of_a_closed_survey_offers_its_published_results(surveys: MemorySurveys) -> None:
    chat = _chat(surveys)
    chat.press("sv:1")
    surveys.add(1, barrio_id=1, definition=FORM, status="closed")
    surveys.summaries[1] = {"es": "Resultados: 8 vecinos"}
    assert "ya cerró" in chat.press("sv:1:0:1")[-1]
    assert chat.buttons == ["sv:1:results", "menu"]
    assert chat.press("sv:1:results")[-1] == "Resultados: 8 vecinos"  # only Spanish published: the fallback


@pytest.mark.parametrize(("question", "problem"), [
    ({"name": "x", "type": "text", "label": "X", "anchors": {"low": "a", "high": "b"}}, "anchors are a scale's"),
    ({"name": "x", "type": "scale", "label": "X", "anchors": {"low": "nada"}}, r"need both low \(1\) and high \(5\)"),
])
def test_anchors_that_mean_nothing_are_refused(question: dict[str, object], problem: str) -> None:
    with pytest.raises(FormError, match=problem):
        Form.load({"title": "T", "questions": [question]})


@pytest.mark.parametrize(("locale", "typed", "stored", "hint"), [
    ("es", "Mucho", 5, None),  # the word of an end, as the question names it
    ("ht", "pa ditou", 1, None),
    ("en", "a lot", 5, None),
    ("es", "regular", None, "Elige un número del 1 al 5."),
    ("ht", "6", None, "Chwazi yon nimewo soti 1 rive 5."),
    ("en", "mu", None, "Choose a number from 1 to 5."),  # a beginning is not enough on a scale
])
def test_a_scale_takes_the_word_of_its_ends(surveys: MemorySurveys, locale: str, typed: str, stored: int | None,
                                            hint: str | None) -> None:
    chat = _chat(surveys, locale)
    chat.press("sv:1")
    chat.say("1")
    chat.say("1")
    texts = chat.say(typed)
    assert _stored(chat, surveys).get("confianza") == stored
    assert hint is None or texts[0] == hint
