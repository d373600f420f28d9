"""/avance as pure conversation tables: the grupo motor reports a hito of an iniciativa it is responsible for."""

from datetime import date

import pytest

from conversations.kernel.members import BarrioRef
from conversations.programme.ports import IniciativaView
from tests.fakes.ports import Chat, MemoryDirectory, MemoryProgramme, memory_context

CODE, MOTOR = "K7MP2Q", "GM4XZ9"
TODAY = date(2026, 11, 23)  # NOW of tests/fakes/ports.py, in Santiago


def iniciativa(id_: int, *, by_motor: bool = True, status: str = "en_ejecucion", barrio_id: int = 1,
               title: str = "Huerto comunitario") -> IniciativaView:
    return IniciativaView(id=id_, barrio_id=barrio_id, titles={"es": title, "en": "Community garden",
                                                              "ht": "Jaden kominotè"},
                          descriptions={"es": ""}, ambito="huertos", urgencia=False, status=status, progress=40,
                          cost=1_200_000, by_motor=by_motor)


@pytest.fixture
def programme() -> MemoryProgramme:
    return MemoryProgramme(rows={
        4: iniciativa(4),
        5: iniciativa(5, by_motor=False, title="Luminarias"),  # the ejecutor's team is responsible
        6: iniciativa(6, status="descartada", title="Cancha"),
        7: iniciativa(7, barrio_id=2, title="Otro barrio"),
    })


def member(programme: MemoryProgramme, code: str, locale: str = "es") -> Chat:
    directory = MemoryDirectory(barrios={CODE: BarrioRef(1, "Villa Los Aromos", "vecino"),
                                         MOTOR: BarrioRef(1, "Villa Los Aromos", "motor")})
    chat = Chat(lambda: memory_context(directory, programme=programme))
    chat.say(f"/start {code}")
    chat.press(f"join:{locale}:{code}")
    chat.press(f"consent:yes:{locale}:{code}")
    return chat


def test_the_grupo_motor_reports_an_advance_and_it_waits_for_staff(programme: MemoryProgramme) -> None:
    motor = member(programme, MOTOR)
    assert motor.say("/avance") == ["¿De qué iniciativa quieres informar un avance?"]
    assert motor.buttons == ["pg:av:4", "menu"]  # only what the grupo motor is responsible for, not descartada
    assert "Cuenta en pocas palabras el avance de «Huerto comunitario»" in motor.press("pg:av:4")[0]
    assert "hasta 300 letras" in motor.say("x")[0]
    assert motor.state.step == "hito_text" and not programme.reported
    replies = motor.say("  Llegaron   las semillas  ")
    assert replies[0] == ("¡Gracias! El equipo revisará el avance de «Huerto comunitario» y luego lo enviaremos "
                          "a quienes siguen la iniciativa.")
    assert programme.reported == [(4, "Llegaron las semillas", TODAY, motor.state.member_id)]  # who: told later
    assert motor.state.step == "idle"


def test_where_the_barrio_sends_them_at_once_the_grupo_motor_is_told_so(programme: MemoryProgramme) -> None:
    programme.hitos_need_approval = False
    motor = member(programme, MOTOR)
    motor.press("pg:av:4")
    assert motor.say("Instalamos el riego")[0] == ("¡Gracias! Enviamos el avance de «Huerto comunitario» a quienes "
                                                    "siguen la iniciativa.")


@pytest.mark.parametrize("iniciativa_id", [5, 6, 7, 99])
def test_not_its_own_descartada_another_barrios_or_unknown_is_stale(programme: MemoryProgramme,
                                                                   iniciativa_id: int) -> None:
    motor = member(programme, MOTOR)
    assert "ya no está vigente" in motor.press(f"pg:av:{iniciativa_id}")[0]
    assert motor.state.step == "idle" and not programme.reported


def test_a_vecino_cannot_report(programme: MemoryProgramme) -> None:
    vecina = member(programme, CODE)
    assert "Solo el grupo motor" in vecina.say("/avance")[0]
    assert "ya no está vigente" in vecina.press("pg:av:4")[0]
    vecina.say("/menu")
    assert "pg:avance" not in vecina.buttons
    vecina.press("pg:ini:4")
    assert "pg:av:4" not in vecina.buttons
    assert not programme.reported


def test_the_menu_and_the_iniciativa_offer_it_to_the_grupo_motor(programme: MemoryProgramme) -> None:
    motor = member(programme, MOTOR)
    motor.say("/menu")
    assert "pg:avance" in motor.buttons
    motor.press("pg:ini:4")
    assert "pg:av:4" in motor.buttons
    motor.press("pg:ini:5")
    assert "pg:av:5" not in motor.buttons


def test_without_iniciativas_of_its_own_it_is_told_who_assigns_them() -> None:
    motor = member(MemoryProgramme(rows={5: iniciativa(5, by_motor=False)}), MOTOR)
    assert "Ninguna iniciativa del barrio está a cargo del grupo motor" in motor.say("/avance")[0]


@pytest.mark.parametrize(("locale", "asked", "thanks"), [
    ("en", "Tell in a few words the progress of «Community garden»",
     "Thank you! The team will review the progress of «Community garden»"),
    ("ht", "Rakonte an kèk mo avansman «Jaden kominotè»", "Mèsi! Ekip la ap revize avansman «Jaden kominotè»"),
])
def test_in_english_and_haitian_creole(programme: MemoryProgramme, locale: str, asked: str, thanks: str) -> None:
    motor = member(programme, MOTOR, locale)
    motor.say("/avance")
    assert motor.press("pg:av:4")[0].startswith(asked)
    assert motor.say("Seeds / Semans")[0].startswith(thanks)
    assert programme.reported == [(4, "Seeds / Semans", TODAY, motor.state.member_id)]
