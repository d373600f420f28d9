"""A vecina answers the barrio's diagnóstico in Telegram, one question at a time."""

from typing import Any

import pytest
from sqlmodel import Session, select

from api.barrios.models import Barrio
from api.surveys.demo import DIAGNOSTICO
from api.surveys.models import Survey, SurveyAnswer, SurveyResponse
from api.surveys.store import create_survey, move
from tests.factories import make_barrio, make_ejecutor
from tests.fakes.telegram import Harness

VECINA, VECINO = 6001, 6002


@pytest.fixture
def diagnostico(session: Session) -> Survey:
    ejecutor, _ = make_ejecutor(session)
    barrio = make_barrio(session, ejecutor)
    return move(session, create_survey(session, barrio=barrio, kind="diagnostico", definition=DIAGNOSTICO), "open")


def _barrio(session: Session, survey: Survey) -> Barrio:
    barrio = session.get(Barrio, survey.barrio_id)
    assert barrio is not None
    return barrio


def _stored(session: Session) -> dict[str, Any]:
    session.expire_all()
    return {a.question: a.value for a in session.exec(select(SurveyAnswer)).all()}


async def test_vecina_answers_everything_and_changes_an_answer(
        telegram: Harness, session: Session, diagnostico: Survey) -> None:
    sid = diagnostico.id
    await telegram.join(VECINA, _barrio(session, diagnostico).join_code)
    assert "sv:list" in telegram.fake.last(VECINA).button_data  # "Encuestas" in the main menu
    shown = await telegram.press(VECINA, "sv:list")
    assert shown[-1].buttons == [[("Diagnóstico de nuestro barrio", f"sv:{sid}")], [("Volver al menú", "menu")]]
    shown = await telegram.press(VECINA, f"sv:{sid}")
    assert "anónimas" in shown[-1].text and shown[-1].button_data == [f"sv:{sid}:0:ok"]

    shown = await telegram.press(VECINA, f"sv:{sid}:0:ok")
    assert "Pregunta 1 de 11" in shown[-1].text and "¿Cuántos años llevas" in shown[-1].text
    shown = await telegram.say(VECINA, "muchos")
    assert shown[0].text == "Escribe solo un número entero, por ejemplo 3."
    assert "¿Cuántos años llevas" in shown[1].text  # the question again
    shown = await telegram.say(VECINA, "150")
    assert shown[0].text == "Escribe un número de años entre 0 y 100."  # the form's constraint_message
    shown = await telegram.say(VECINA, "12")
    assert _stored(session)["anos_barrio"] == 12  # stored at once
    assert "Pregunta 2 de 11" in shown[-1].text and "Marca hasta 3" in shown[-1].text

    for choice in (0, 1, 2, 3):
        shown = await telegram.press(VECINA, f"sv:{sid}:2:{choice}")
    assert shown[-1].method == "editMessageText"  # toggles edit the question in place
    assert [label for row in shown[-1].buttons for label, _ in row][:4] == [
        "✅ 1. Falta de trabajo", "✅ 2. Basura y microbasurales", "✅ 3. Inseguridad", "✅ 4. Pocas áreas verdes"]
    shown = await telegram.press(VECINA, f"sv:{sid}:2:ok")
    assert shown[0].text == "Marca como máximo 3 problemas."
    await telegram.press(VECINA, f"sv:{sid}:2:3")  # untick one
    shown = await telegram.press(VECINA, f"sv:{sid}:2:ok")
    assert _stored(session)["problemas"] == ["trabajo", "basura", "inseguridad"]
    assert "temas sensibles: Ingresos y salud de tu hogar." in shown[-1].text  # express consent first
    assert shown[-1].button_data == [f"sv:{sid}:3:consent:yes", f"sv:{sid}:3:consent:no"]
    shown = await telegram.press(VECINA, f"sv:{sid}:3:consent:yes")
    assert "▸ Ingresos y salud de tu hogar" in shown[-1].text and "¿Los ingresos de tu hogar" in shown[-1].text

    await telegram.press(VECINA, f"sv:{sid}:3:1")  # a veces
    await telegram.press(VECINA, f"sv:{sid}:4:1")  # salud: no
    shown = await telegram.press(VECINA, f"sv:{sid}:5:0")  # emprendimiento: sí -> the relevant follow-up
    assert "¿De qué es el emprendimiento?" in shown[-1].text and f"sv:{sid}:6:skip" in shown[-1].button_data
    shown = await telegram.press(VECINA, f"sv:{sid}:6:back")
    assert "¿Alguien de tu hogar tiene un" in shown[-1].text and "Tu respuesta actual: Sí" in shown[-1].text
    await telegram.press(VECINA, f"sv:{sid}:5:ok")  # keep the answer
    await telegram.say(VECINA, "Almacén de barrio")
    shown = await telegram.press(VECINA, f"sv:{sid}:7:3")  # entorno 4
    assert "Pregunta 8 de 12" in shown[-1].text  # the follow-up now counts
    await telegram.press(VECINA, f"sv:{sid}:8:2")
    await telegram.press(VECINA, f"sv:{sid}:9:ok")  # optional multiple choice left empty
    await telegram.press(VECINA, f"sv:{sid}:10:1")
    await telegram.press(VECINA, f"sv:{sid}:11:0")
    shown = await telegram.press(VECINA, f"sv:{sid}:12:skip")
    assert shown[-1].text.startswith("¡Gracias! Tus respuestas quedaron guardadas.")
    assert "3. ¿Los ingresos de tu hogar alcanzan para los gastos del mes? — A veces" in shown[-1].text
    assert "— (sin respuesta)" in shown[-1].text
    assert "Aceptaste responder las preguntas sobre: Ingresos y salud de tu hogar." in shown[-1].text
    assert f"sv:{sid}:consent" in shown[-1].button_data
    session.expire_all()
    assert session.exec(select(SurveyResponse)).one().completed_at is not None

    shown = await telegram.press(VECINA, f"sv:{sid}:3:edit")
    assert "Tu respuesta actual: A veces" in shown[-1].text
    shown = await telegram.press(VECINA, f"sv:{sid}:3:0")
    assert shown[-1].text.startswith("Listo, cambio guardado.") and "— Sí" in shown[-1].text
    shown = await telegram.press(VECINA, f"sv:{sid}:5:edit")
    shown = await telegram.press(VECINA, f"sv:{sid}:5:1")  # no business after all: the follow-up goes
    assert "rubro" not in _stored(session) and _stored(session)["emprendimiento"] == "no"

    move(session, session.get(Survey, sid), "closed")  # type: ignore[arg-type]
    shown = await telegram.press(VECINA, f"sv:{sid}:5:edit")
    assert "ya cerró" in shown[-1].text
    shown = await telegram.say(VECINA, "/encuestas")
    assert "no hay encuestas abiertas" in shown[-1].text


async def test_stopping_halfway_resumes_at_the_same_question_in_kreyol(
        telegram: Harness, session: Session, diagnostico: Survey) -> None:
    sid = diagnostico.id
    await telegram.join(VECINO, _barrio(session, diagnostico).join_code, locale="ht")
    shown = await telegram.say(VECINO, "/encuestas")
    assert shown[-1].buttons[0] == [("Dyagnostik katye nou an", f"sv:{sid}")]
    await telegram.press(VECINO, f"sv:{sid}")
    await telegram.press(VECINO, f"sv:{sid}:0:ok")
    shown = await telegram.say(VECINO, "3")
    assert "Kesyon 2 sou 11" in shown[-1].text and "Ki pi gwo pwoblèm katye a?" in shown[-1].text
    await telegram.say(VECINO, "/menu")  # walks away

    shown = await telegram.press(VECINO, f"sv:{sid}")
    assert shown[0].text == "Nou kontinye kote ou te rive a."
    assert "Kesyon 2 sou 11" in shown[-1].text
    shown = await telegram.say(VECINO, "/misdatos")
    assert "• 1 repons nan ankèt" in shown[-1].text


async def test_old_or_forged_buttons_are_refused(telegram: Harness, session: Session, diagnostico: Survey) -> None:
    sid = diagnostico.id
    barrio = _barrio(session, diagnostico)
    ejecutor, _ = make_ejecutor(session, "Otra")
    elsewhere = move(session, create_survey(session, barrio=make_barrio(session, ejecutor, "Otro barrio"),
                                            kind="diagnostico", definition=DIAGNOSTICO), "open")
    await telegram.join(VECINA, barrio.join_code)
    await telegram.press(VECINA, f"sv:{sid}")
    await telegram.press(VECINA, f"sv:{sid}:0:ok")
    shown = await telegram.press(VECINA, f"sv:{sid}:1:skip")
    assert shown[0].text == "Esta pregunta es obligatoria." and "¿Cuántos años" in shown[1].text
    for data in (f"sv:{sid}:2:0", f"sv:{sid}:1:ok", "sv:999", f"sv:{elsewhere.id}", f"sv:{sid}:99:edit",
                 f"sv:{sid}:1:9", "sv:x:y"):
        shown = await telegram.press(VECINA, data)
        assert "ya no está vigente" in shown[-1].text, data
    assert _stored(session) == {"intro": None}
    shown = await telegram.say(VECINA, "7")  # the current question is still being asked
    assert _stored(session)["anos_barrio"] == 7 and "Pregunta 2 de 11" in shown[-1].text


async def test_delete_removes_the_answers(telegram: Harness, session: Session, diagnostico: Survey) -> None:
    sid = diagnostico.id
    await telegram.join(VECINA, _barrio(session, diagnostico).join_code)
    await telegram.press(VECINA, f"sv:{sid}")
    await telegram.press(VECINA, f"sv:{sid}:0:ok")
    await telegram.say(VECINA, "20")
    shown = await telegram.say(VECINA, "/misdatos")
    assert "1 respuesta a encuestas" in shown[-1].text
    await telegram.say(VECINA, "/borrar")
    await telegram.press(VECINA, "del:yes")
    assert _stored(session) == {}
    session.expire_all()
    assert session.exec(select(SurveyResponse)).all() == []
