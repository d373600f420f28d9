"""A convocatoria written in one language with versions in others: each vecino reads their own."""

import pytest

from conversations.convocatorias import texts
from conversations.convocatorias.flow import announcement, reminder
from conversations.kernel.i18n import Translator
from conversations.kernel.members import BarrioRef
from tests.fakes.ports import Chat, MemoryConvocatorias, MemoryDirectory, memory_context

MOTOR = "GM4XZ9"


@pytest.fixture
def port() -> MemoryConvocatorias:
    return MemoryConvocatorias()


def _motor(port: MemoryConvocatorias) -> Chat:
    directory = MemoryDirectory(barrios={MOTOR: BarrioRef(1, "Villa Los Aromos", "motor")})
    chat = Chat(lambda: memory_context(directory, convocatorias=port))
    chat.say(f"/start {MOTOR}")
    chat.press(f"join:es:{MOTOR}")
    chat.press(f"consent:yes:es:{MOTOR}")
    chat.say("/convocar")
    chat.say("Asamblea del diagnóstico")
    chat.say("sábado 18:30")
    chat.say("Sede vecinal")
    return chat


def test_the_grupo_motor_adds_a_kreyol_version_and_previews_it(port: MemoryConvocatorias) -> None:
    motor = _motor(port)
    motor.say("Traer la lista")
    assert {"cv:version:ht", "cv:version:en"} <= set(motor.buttons) and "cv:version:es" not in motor.buttons
    assert motor.press("cv:version:ht")[-1] == "Escribe el título en Kreyòl ayisyen:"
    assert motor.say("A")[0] == "Escribe entre 2 y 200 caracteres."  # checked like the title itself
    assert motor.say("Asanble dyagnostik la")[-1] == "Escribe los detalles en Kreyòl ayisyen:"
    shown = motor.say("Pote lis la")
    assert "Asamblea del diagnóstico" in shown[1] and "Traer la lista" in shown[1]  # as written
    assert shown[2].startswith("📣 Konvokasyon") and "Asanble dyagnostik la" in shown[2] and "Pote lis la" in shown[2]
    labels = [b.label for row in motor.last[-1].buttons for b in row]
    assert "Cambiar versión en Kreyòl ayisyen" in labels and "Agregar versión en English" in labels
    motor.press("cv:send")
    sent = port.rows[1]
    assert sent.versions == {"ht": {"title": "Asanble dyagnostik la", "details": "Pote lis la"}}


def test_without_details_the_version_is_only_a_title(port: MemoryConvocatorias) -> None:
    motor = _motor(port)
    motor.press("cv:nodetails")
    motor.press("cv:version:en")
    shown = motor.say("Diagnosis assembly")
    assert "Diagnosis assembly" in shown[2] and motor.state.step == "cv.preview"
    assert "vlang" not in motor.state.data  # the language being written is not kept once done


@pytest.mark.parametrize(("locale", "title", "details"), [
    ("ht", "Asanble dyagnostik la", "Pote lis la"),
    ("es", "Asamblea del diagnóstico", "Traer la lista"),
    ("en", "Asamblea del diagnóstico", "Traer la lista"),  # no English version: as written
])
def test_each_vecino_reads_their_version_in_the_message_and_the_reminder(
        port: MemoryConvocatorias, locale: str, title: str, details: str) -> None:
    motor = _motor(port)
    motor.say("Traer la lista")
    motor.press("cv:version:ht")
    motor.say("Asanble dyagnostik la")
    motor.say("Pote lis la")
    motor.press("cv:send")
    t = Translator(locale)
    message = announcement(t, port.rows[1], "Villa Los Aromos").text
    assert title in message and details in message
    assert title in reminder(t, port.rows[1], "yes").text
    assert texts.own(port.rows[1], "place", locale) == "Sede vecinal"  # the place is a place: not translated


def test_a_version_button_outside_the_preview_is_stale(port: MemoryConvocatorias) -> None:
    motor = _motor(port)
    assert "ya no está vigente" in motor.press("cv:version:ht")[-1]  # still writing the details
    assert not port.rows
