"""Voting in the chat as pure conversation tables: read, toggle, review, confirm, receipt."""

from dataclasses import replace
from datetime import timedelta

import pytest

from conversations.ballots.ports import BallotView
from conversations.ballots.rules import Option, Rules
from conversations.kernel.events import Event
from conversations.kernel.members import BarrioRef
from tests.fakes.ports import NOW, Chat, MemoryBallots, MemoryDirectory, memory_context

CODE = "K7MP2Q"
OPTIONS = (
    Option(0, "Huerto comunitario", "Camas de cultivo", "huertos", 1_200_000),
    Option(1, "Luminarias", "Ocho luminarias", "habitabilidad", 1_500_000),
    Option(2, "Plaza de juegos", "", "habitabilidad", 1_800_000),
    Option(3, "Escuela de verano", "", "bienestar", 900_000),
)


def ballot(id_: int = 7, rules: Rules = Rules("budget", budget=3_000_000), **kw: object) -> BallotView:
    values = dict(id=id_, barrio_id=1, title="Prioricemos 2027", description="", rules=rules,
                  options=OPTIONS, closes_at=NOW + timedelta(days=3), status="open")
    return BallotView(**{**values, **kw})  # type: ignore[arg-type]


@pytest.fixture
def ballots() -> MemoryBallots:
    return MemoryBallots({7: ballot(), 8: ballot(8, Rules("ranked", max_choices=2), title="Orden de prioridades"),
                          9: ballot(9, barrio_id=2, title="Otro barrio")})


def vecina(ballots: MemoryBallots, locale: str = "es") -> Chat:
    directory = MemoryDirectory(barrios={CODE: BarrioRef(id=1, name="Villa Los Aromos", role="vecino")})
    chat = Chat(lambda: memory_context(directory, ballots=ballots))
    chat.say(f"/start {CODE}")
    chat.press(f"join:{locale}:{CODE}")
    chat.press(f"consent:yes:{locale}:{CODE}")
    return chat


def test_votar_lists_the_open_ballots_of_the_barrio_only(ballots: MemoryBallots) -> None:
    chat = vecina(ballots)
    text = chat.say("/votar")[-1]
    assert "Prioricemos 2027" in text and "Orden de prioridades" in text and "Otro barrio" not in text
    assert chat.buttons == ["bl:7", "bl:8", "menu"]
    assert "bl:list" in (chat.say("/menu"), chat.buttons)[1]


def test_ballot_shows_ambito_and_cost_in_clp_and_a_running_budget(ballots: MemoryBallots) -> None:
    chat = vecina(ballots)
    text = chat.press("bl:7")[-1]
    assert "1. Huerto comunitario — Huertos · $1.200.000" in text
    assert "Usado $0 de $3.000.000" in text
    assert chat.buttons[:4] == ["bl:7:t:0", "bl:7:t:1", "bl:7:t:2", "bl:7:t:3"]
    assert "Usado $1.200.000 de $3.000.000" in chat.press("bl:7:t:0")[-1]
    text = chat.press("bl:7:t:1")[-1]
    assert "Usado $2.700.000 de $3.000.000" in text
    assert chat.last[-1].buttons[0][0].label.startswith("✅") and chat.last[-1].buttons[2][0].label.startswith("⬜")
    text = chat.press("bl:7:t:3")[-1]
    assert text.startswith("⚠️ «Escuela de verano» cuesta $900.000 y te quedan $300.000")
    assert "Usado $2.700.000" in text
    assert ballots.started == {(7, chat.state.member_id)} and not ballots.votes


def test_review_then_confirm_stores_the_choice_and_gives_a_receipt(ballots: MemoryBallots) -> None:
    chat = vecina(ballots)
    chat.press("bl:7")
    chat.press("bl:7:t:2")
    chat.press("bl:7:t:3")
    review = chat.press("bl:7:rv")[-1]
    assert "Revisa tu voto" in review and "• Plaza de juegos — $1.800.000" in review
    assert chat.buttons == ["bl:7:ok", "bl:7"]
    assert not ballots.votes  # nothing counts before confirming
    receipt = chat.press("bl:7:ok")
    assert "quedó registrado" in receipt[0] and "Escuela de verano" in receipt[0]
    assert ballots.votes == {(7, chat.state.member_id): (2, 3)}
    # Pressing confirm again (an old message) neither counts twice nor changes anything.
    again = chat.press("bl:7:ok")[-1]
    assert "ya está registrado y cuenta una sola vez" in again
    assert ballots.casts == 1


def test_changing_the_vote_replaces_it(ballots: MemoryBallots) -> None:
    chat = vecina(ballots)
    for data in ("bl:7", "bl:7:t:0", "bl:7:rv", "bl:7:ok"):
        chat.press(data)
    assert "ya votaste" in chat.say("/votar")[-1]
    text = chat.press("bl:7")[-1]
    assert "Usado $1.200.000" in text  # starts from the stored vote
    for data in ("bl:7:t:0", "bl:7:t:1", "bl:7:rv"):
        chat.press(data)
    assert "cambiaste tu voto" in chat.press("bl:7:ok")[0]
    assert ballots.votes == {(7, chat.state.member_id): (1,)}


def test_an_empty_choice_cannot_be_confirmed(ballots: MemoryBallots) -> None:
    chat = vecina(ballots)
    chat.press("bl:7")
    assert "Aún no eliges ninguna iniciativa" in chat.press("bl:7:rv")[-1]
    assert "bl:7:ok" not in chat.buttons


def test_ranked_shows_places_in_the_order_pressed(ballots: MemoryBallots) -> None:
    chat = vecina(ballots)
    assert "Ordena hasta 2 iniciativas" in chat.press("bl:8")[-1]
    chat.press("bl:8:t:3")
    chat.press("bl:8:t:0")
    labels = [row[0].label for row in chat.last[-1].buttons]
    assert labels[3].startswith("1º") and labels[0].startswith("2º")
    assert "Ya elegiste 2 iniciativas, el máximo" in chat.press("bl:8:t:1")[-1]
    chat.press("bl:8:rv")
    assert "1º Escuela de verano" in chat.last[-1].text
    chat.press("bl:8:ok")
    assert ballots.votes[(8, chat.state.member_id)] == (3, 0)


@pytest.mark.parametrize("data", ["bl:9", "bl:9:t:0", "bl:7:t:99", "bl:7:t:x", "bl:404", "bl:abc", "bl:7:zz"])
def test_forged_or_foreign_buttons_are_stale_and_count_nothing(ballots: MemoryBallots, data: str) -> None:
    chat = vecina(ballots)
    assert "ya no está vigente" in chat.press(data)[-1]
    assert not ballots.votes and not ballots.started


def test_a_closed_ballot_says_so_and_refuses_the_vote(ballots: MemoryBallots) -> None:
    chat = vecina(ballots)
    chat.press("bl:7")
    chat.press("bl:7:t:0")
    chat.press("bl:7:rv")
    ballots.ballots[7] = replace(ballots.ballots[7], status="closed")
    text = chat.press("bl:7:ok")[-1]
    assert "ya cerró" in text and "Prioricemos 2027" in text
    assert not ballots.votes
    ballots.ballots[8] = replace(ballots.ballots[8], closes_at=NOW)  # past its time, job not run yet
    assert "ya cerró" in chat.press("bl:8")[-1]
    assert "No hay votaciones abiertas" in (ballots.ballots.pop(8), chat.say("/votar"))[1][-1]


def test_a_rule_broken_at_confirmation_is_explained(ballots: MemoryBallots) -> None:
    chat = vecina(ballots)
    chat.press("bl:7")
    chat.press("bl:7:t:2")
    chat.press("bl:7:rv")
    # The draft was edited elsewhere (an old message): the rule is checked again before counting.
    chat.state = chat.state.at("ballot", ballot=7, pick=[2, 1])
    assert "pasa el presupuesto de $3.000.000" in chat.press("bl:7:ok")[-1]
    assert not ballots.votes


def test_english_and_kreyol_read_the_ballot_in_their_language(ballots: MemoryBallots) -> None:
    english = vecina(ballots, "en").press("bl:7")[-1]
    assert "Community gardens" in english and "CLP" in english and "Used" in english
    kreyol = vecina(ballots, "ht").press("bl:7")[-1]
    assert "Jaden kominotè" in kreyol and "Itilize" in kreyol
    assert "Usado" not in kreyol and "Huertos" not in kreyol


def test_sticker_while_voting_shows_the_ballot_again(ballots: MemoryBallots) -> None:
    chat = vecina(ballots)
    chat.press("bl:7")
    chat.press("bl:7:t:0")
    texts = chat.send(Event.other("sticker"))
    assert "Solo puedo leer texto" in texts[0] and "Usado $1.200.000" in texts[-1]


def test_the_draft_survives_a_look_at_the_list(ballots: MemoryBallots) -> None:
    chat = vecina(ballots)
    chat.press("bl:7")
    chat.press("bl:7:t:3")
    chat.press("bl:list")
    assert "Usado $900.000" in chat.press("bl:7")[-1]


def test_many_long_iniciativas_still_fit_in_one_message(ballots: MemoryBallots) -> None:
    many = tuple(Option(i, f"Iniciativa número {i}", "Descripción larga. " * 15, "bienestar", 100_000)
                 for i in range(20))
    ballots.ballots[7] = replace(ballots.ballots[7], options=many)
    text = vecina(ballots).press("bl:7")[-1]
    assert len(text) < 4096 and "20. Iniciativa número 19" in text and "…" in text
