"""Results stay visible: a vecino sees the results of the barrio's closed ballots, and a tie is named."""

from datetime import timedelta

import pytest

from conversations.ballots.ports import BallotView
from conversations.ballots.rules import Option, Rules
from conversations.kernel.members import BarrioRef
from tests.fakes.ports import NOW, Chat, MemoryBallots, MemoryDirectory, memory_context

CODE = "K7MP2Q"
OPTIONS = (Option(0, "Huerto comunitario", "", "huertos", 1_200_000),
           Option(1, "Luminarias", "", "habitabilidad", 1_500_000),
           Option(2, "Plaza de juegos", "", "habitabilidad", 1_800_000))


def _ballot(id_: int, status: str, barrio_id: int = 1, title: str = "Prioricemos 2027") -> BallotView:
    return BallotView(id=id_, barrio_id=barrio_id, title=title, description="", rules=Rules("single"),
                      options=OPTIONS, closes_at=NOW - timedelta(days=1), status=status)


def _vecina(ballots: MemoryBallots, locale: str = "es") -> Chat:
    directory = MemoryDirectory(barrios={CODE: BarrioRef(id=1, name="Villa Los Aromos", role="vecino")})
    chat = Chat(lambda: memory_context(directory, ballots=ballots))
    chat.say(f"/start {CODE}")
    chat.press(f"join:{locale}:{CODE}")
    chat.press(f"consent:yes:{locale}:{CODE}")
    return chat


@pytest.fixture
def ballots() -> MemoryBallots:
    memory = MemoryBallots({3: _ballot(3, "closed"), 4: _ballot(4, "closed", barrio_id=2, title="Otro barrio")})
    memory.votes = {(3, "a"): (0,), (3, "b"): (1,), (3, "c"): (0,), (3, "d"): (1,), (3, "e"): (2,)}
    return memory


@pytest.mark.parametrize(("locale", "tie"), [
    ("es", "Empate en el primer lugar: Huerto comunitario, Luminarias."),
    ("ht", "Egalite nan premye plas: Huerto comunitario, Luminarias."),
    ("en", "Tie for first place: Huerto comunitario, Luminarias."),
])
def test_closed_ballots_results_stay_visible_and_a_tie_is_called_a_tie(ballots: MemoryBallots, locale: str,
                                                                      tie: str) -> None:
    chat = _vecina(ballots, locale)
    chat.say("/votar")
    assert chat.buttons == ["bl:3:res", "menu"]  # not the other barrio's
    text = chat.press("bl:3:res")[-1]
    assert "Huerto comunitario" in text and tie in text


def test_no_tie_is_named_when_there_is_none(ballots: MemoryBallots) -> None:
    ballots.votes[(3, "f")] = (0,)
    text = _vecina(ballots).press("bl:3:res")[-1]
    assert "1. Huerto comunitario" in text and "Empate" not in text


def test_an_open_or_another_barrios_ballot_has_no_results_to_show(ballots: MemoryBallots) -> None:
    ballots.ballots[5] = _ballot(5, "open")
    chat = _vecina(ballots)
    assert "Resultados" not in chat.press("bl:5:res")[-1]
    assert "Resultados" not in chat.press("bl:4:res")[-1]
