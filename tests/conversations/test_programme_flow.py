""""Nuestro barrio" as pure conversation tables: the phase, what comes next, the iniciativas, in es, ht and en."""

from datetime import date

import pytest

from conversations.kernel.members import BarrioRef
from conversations.programme.phases import PHASES, default_spans
from conversations.programme.ports import Hito, IniciativaView, PhaseView
from tests.fakes.ports import Chat, MemoryDirectory, MemoryProgramme, memory_context

CODE = "K7MP2Q"
# NOW (tests/fakes/ports.py) is 23 November 2026: with a start on 1 August, Fase II runs (Oct–Feb).
SPANS = default_spans(date(2026, 8, 1))
TIMELINE = [PhaseView(p, SPANS[p].starts_on, SPANS[p].ends_on) for p in PHASES]


def iniciativa(id_: int, status: str, progress: int = 0, barrio_id: int = 1, **kw: object) -> IniciativaView:
    values = dict(id=id_, barrio_id=barrio_id, titles={"es": "Huerto comunitario", "en": "Community garden"},
                  descriptions={"es": "Camas de cultivo en la sede"}, ambito="huertos", urgencia=False,
                  status=status, progress=progress, cost=1_200_000)
    return IniciativaView(**{**values, **kw})  # type: ignore[arg-type]


@pytest.fixture
def programme() -> MemoryProgramme:
    return MemoryProgramme(timelines={1: TIMELINE}, rows={
        4: iniciativa(4, "en_ejecucion", 40, hitos=(Hito(date(2026, 11, 10), "Llegó la tierra"),)),
        5: iniciativa(5, "propuesta", titles={"es": "Luminarias"}, ambito="habitabilidad", urgencia=True),
        6: iniciativa(6, "terminada", 100, barrio_id=2, titles={"es": "Otro barrio"}),
    })


def vecina(programme: MemoryProgramme, locale: str = "es") -> Chat:
    directory = MemoryDirectory(barrios={CODE: BarrioRef(id=1, name="Villa Los Aromos", role="vecino")})
    chat = Chat(lambda: memory_context(directory, programme=programme))
    chat.say(f"/start {CODE}")
    chat.press(f"join:{locale}:{CODE}")
    chat.press(f"consent:yes:{locale}:{CODE}")
    return chat


def test_barrio_shows_the_current_phase_what_comes_next_and_the_iniciativas(programme: MemoryProgramme) -> None:
    chat = vecina(programme)
    text = chat.say("/barrio")[-1]
    assert text.startswith("Villa Los Aromos en Acción Local")
    assert "Ahora: Fase II: planificación participativa (el Plan de Desarrollo Local) (hasta el " in text
    assert "Ahora: Fase III: implementación de las iniciativas" not in text  # starts 1 January 2027
    assert "Lo que viene: Fase III: implementación de las iniciativas, desde el " in text
    assert "• Huerto comunitario — Huertos · En ejecución · 40%" in text
    assert "• 🚨 Luminarias — Habitabilidad comunitaria · Propuesta" in text
    assert "Otro barrio" not in text
    assert chat.buttons == ["pg:ini:4", "pg:ini:5", "menu"]
    assert chat.say("/iniciativas") == [text]  # the same screen under its other name


def test_the_menu_leads_to_nuestro_barrio(programme: MemoryProgramme) -> None:
    chat = vecina(programme)
    chat.say("/menu")
    assert "pg:home" in chat.buttons
    assert chat.press("pg:home")[-1].startswith("Villa Los Aromos en Acción Local")


def test_one_iniciativa_with_status_progress_and_hitos(programme: MemoryProgramme) -> None:
    chat = vecina(programme)
    text = chat.press("pg:ini:4")[-1]
    assert "Camas de cultivo en la sede" in text
    assert "Estado: En ejecución" in text and "Avance: 40%" in text and "Costo estimado: $1.200.000" in text
    assert "• 10-11-2026: Llegó la tierra" in text
    assert chat.buttons == ["pg:f:4:si", "pg:home", "menu"]


def test_a_vecina_follows_an_iniciativa_and_stops(programme: MemoryProgramme) -> None:
    chat = vecina(programme)
    text = chat.press("pg:f:4:si")[-1]
    assert text.startswith("✅ Te avisaremos de cada novedad de esta iniciativa.")
    assert programme.followers == {(4, chat.state.member_id): True}
    assert chat.buttons[0] == "pg:f:4:no"
    assert "ya no recibirás las novedades" in chat.press("pg:f:4:no")[-1]
    assert programme.followers == {(4, chat.state.member_id): False}
    assert "ya no está vigente" in chat.press("pg:f:6:si")[-1]  # another barrio's
    assert (6, chat.state.member_id) not in programme.followers


def test_an_iniciativa_of_another_barrio_is_a_stale_button(programme: MemoryProgramme) -> None:
    chat = vecina(programme)
    assert "ya no está vigente" in chat.press("pg:ini:6")[-1]
    assert "ya no está vigente" in chat.press("pg:ini:99")[-1]


def test_in_english_with_the_english_title(programme: MemoryProgramme) -> None:
    chat = vecina(programme, "en")
    text = chat.say("/barrio")[-1]
    assert "Villa Los Aromos in Acción Local" in text
    assert "Now: Phase II: participatory planning (the Local Development Plan)" in text
    assert "• Community garden — Community gardens · Under way · 40%" in text
    assert "Luminarias — Community living spaces · Proposed" in text  # no English title: the Spanish one


def test_in_haitian_creole(programme: MemoryProgramme) -> None:
    chat = vecina(programme, "ht")
    text = chat.say("/barrio")[-1]
    assert "Villa Los Aromos nan Acción Local" in text
    assert "Kounye a: Faz II: planifikasyon ansanm" in text
    assert "Ap fèt" in text and "Pwopoze" in text
    assert "Etap yo:" in chat.press("pg:ini:4")[-1]


def test_before_the_programme_has_dates(programme: MemoryProgramme) -> None:
    chat = vecina(MemoryProgramme())
    text = chat.say("/barrio")[-1]
    assert "El programa aún no tiene fechas en tu barrio." in text
    assert "El barrio aún no tiene iniciativas en su Plan de Desarrollo Local." in text
    assert chat.buttons == ["menu"]


@pytest.mark.parametrize(("locale", "line"), [
    ("es", "• 20-11-2026: Pintamos las bancas (foto: https://fotos.example/bancas.jpg)"),
    ("ht", "(foto: https://fotos.example/bancas.jpg)"),
    ("en", "• Nov 20, 2026: Pintamos las bancas (photo: https://fotos.example/bancas.jpg)"),
])
def test_a_hitos_photo_is_shown_as_its_link(programme: MemoryProgramme, locale: str, line: str) -> None:
    photo = Hito(date(2026, 11, 20), "Pintamos las bancas", "https://fotos.example/bancas.jpg")
    programme.rows[4] = iniciativa(4, "en_ejecucion", 40, hitos=(photo,))
    assert line in vecina(programme, locale).press("pg:ini:4")[-1]
