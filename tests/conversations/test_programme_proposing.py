"""/proponer as pure conversation tables: only during Fase II; title, description, ámbito; kept once."""

from datetime import date

from conversations.kernel.members import BarrioRef
from conversations.programme.phases import PHASES, default_spans
from conversations.programme.ports import Idea, PhaseView
from tests.fakes.ports import Chat, MemoryDirectory, MemoryProgramme, memory_context

CODE = "K7MP2Q"


def timeline(start: date) -> list[PhaseView]:
    spans = default_spans(start)
    return [PhaseView(p, spans[p].starts_on, spans[p].ends_on) for p in PHASES]


def vecina(programme: MemoryProgramme, locale: str = "es") -> Chat:
    directory = MemoryDirectory(barrios={CODE: BarrioRef(id=1, name="Villa Los Aromos", role="vecino")})
    chat = Chat(lambda: memory_context(directory, programme=programme))
    chat.say(f"/start {CODE}")
    chat.press(f"join:{locale}:{CODE}")
    chat.press(f"consent:yes:{locale}:{CODE}")
    return chat


def in_fase_ii() -> MemoryProgramme:
    return MemoryProgramme(timelines={1: timeline(date(2026, 8, 1))})  # NOW is 23 Nov 2026: Fase II


def test_a_vecina_proposes_an_idea_step_by_step() -> None:
    programme = in_fase_ii()
    chat = vecina(programme)
    assert "¿Cómo se llamaría?" in chat.say("/proponer")[-1]
    assert "entre 2 y 80 letras" in chat.say("x")[-1]
    assert "de qué se trata" in chat.say("  Huerto   en la sede ")[-1]
    assert "¿En qué ámbito está?" in chat.say("Camas de cultivo para las familias del pasaje")[-1]
    assert chat.buttons == ["pg:amb:bienestar", "pg:amb:habitabilidad", "pg:amb:huertos", "menu"]
    chat.say("otra cosa")  # typed at the ámbito step: a hint; the draft stays
    assert chat.state.step == "propose_ambito" and not programme.ideas
    thanks = chat.press("pg:amb:huertos")[0]
    assert thanks.startswith("¡Gracias! Recibimos tu idea «Huerto en la sede» (Huertos).")
    assert programme.ideas == [(chat.state.member_id, 1, Idea(
        "Huerto en la sede", "Camas de cultivo para las familias del pasaje", "huertos"))]
    assert "ya se envió o se canceló" in chat.press("pg:amb:huertos")[-1]  # an old button: kept once
    assert len(programme.ideas) == 1


def test_the_menu_offers_it_only_during_fase_ii() -> None:
    chat = vecina(in_fase_ii())
    chat.say("/menu")
    assert "pg:idea" in chat.buttons
    later = vecina(MemoryProgramme(timelines={1: timeline(date(2026, 1, 1))}))  # Fase II is over
    later.say("/menu")
    assert "pg:idea" not in later.buttons
    assert "se reciben durante la Fase II" in later.say("/proponer")[-1]


def test_in_english_and_haitian_creole() -> None:
    english = vecina(in_fase_ii(), "en")
    english.say("/proponer")
    english.say("Community garden")
    english.say("Beds for the families")
    assert "Thank you" in english.press("pg:amb:huertos")[0]
    creole = vecina(in_fase_ii(), "ht")
    creole.say("/proponer")
    creole.say("Jaden")
    creole.say("Kabann pou fanmi yo")
    assert creole.buttons[:3] == ["pg:amb:bienestar", "pg:amb:habitabilidad", "pg:amb:huertos"]
    assert "Mèsi" in creole.press("pg:amb:huertos")[0]
