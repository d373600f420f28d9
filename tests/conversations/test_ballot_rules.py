"""The counting rules: what a choice may be, and how votes become a ranking and a selected set."""

import pytest

from conversations.ballots.rules import Option, Rules, check, tally, toggle

OPTIONS = (
    Option(0, "Huerto", "", "huertos", 1_200_000),
    Option(1, "Luminarias", "", "habitabilidad", 1_500_000),
    Option(2, "Plaza", "", "habitabilidad", 1_800_000),
    Option(3, "Escuela de verano", "", "bienestar", 900_000),
)
BUDGET = Rules("budget", budget=3_000_000)


@pytest.mark.parametrize(("rules", "before", "press", "after", "problem"), [
    (Rules("single"), (0,), 2, (2,), None),  # single: a new choice replaces the old one
    (Rules("single"), (2,), 2, (), None),  # pressing it again clears it
    (Rules("approval", max_choices=2), (0, 1), 2, (0, 1), "too_many"),
    (Rules("approval", max_choices=2), (0, 1), 1, (0,), None),
    (BUDGET, (0, 1), 3, (0, 1), "over_budget"),  # 2.7M + 0.9M > 3M
    (BUDGET, (0,), 1, (0, 1), None),
    (Rules("ranked", max_choices=3), (2, 0), 1, (2, 0, 1), None),  # appended in the order pressed
    (Rules("ranked", max_choices=3), (2, 0, 1), 2, (0, 1), None),  # the rest move up
    (Rules("approval", max_choices=2), (0,), 9, (0,), "unknown"),
])
def test_toggle(rules: Rules, before: tuple[int, ...], press: int, after: tuple[int, ...],
                problem: str | None) -> None:
    pick, found = toggle(rules, OPTIONS, before, press)
    assert pick == after
    assert (found.code if found else None) == problem


@pytest.mark.parametrize(("rules", "pick", "problem"), [
    (Rules("single"), (), "empty"),
    (Rules("single"), (0, 1), "too_many"),
    (Rules("approval", max_choices=2), (0, 0), "unknown"),
    (Rules("approval", max_choices=2), (0, 7), "unknown"),
    (BUDGET, (1, 2), "over_budget"),
    (Rules("budget", budget=3_000_000, min_budget_share=0.5), (3,), "under_budget"),
    (Rules("budget", budget=3_000_000, min_budget_share=0.5), (0, 3), None),
    (Rules("ranked", max_choices=2), (3, 1), None),
])
def test_check_at_confirmation(rules: Rules, pick: tuple[int, ...], problem: str | None) -> None:
    found = check(rules, OPTIONS, pick)
    assert (found.code if found else None) == problem


def test_borda_gives_k_points_to_first_place_down_to_one() -> None:
    counted = tally(Rules("ranked", max_choices=3), OPTIONS, [(2, 0, 1), (0, 2), (0,)])
    points = {line.option.title: line.score for line in counted.lines}
    assert points == {"Huerto": 2 + 3 + 3, "Plaza": 3 + 2, "Luminarias": 1, "Escuela de verano": 0}
    assert [line.option.title for line in counted.lines][:2] == ["Huerto", "Plaza"]
    assert counted.voters == 3


def test_budget_greedy_skips_what_does_not_fit_and_goes_on() -> None:
    # Plaza 3 votes (1.8M), Luminarias 2 (1.5M, no longer fits), Escuela 1 (0.9M fits), Huerto 0.
    ballots = [(2,), (2, 3), (2,), (1,), (1,)]
    counted = tally(BUDGET, OPTIONS, ballots)
    assert [line.option.title for line in counted.lines] == ["Plaza", "Luminarias", "Escuela de verano", "Huerto"]
    assert [line.option.title for line in counted.selected] == ["Plaza", "Escuela de verano"]
    assert counted.selected_cost == 2_700_000
    assert not any(line.selected for line in counted.lines if line.score == 0)


def test_ties_go_to_the_cheaper_then_to_the_first_listed() -> None:
    counted = tally(Rules("approval", max_choices=4), OPTIONS, [(0, 1, 2, 3)])
    assert [line.option.index for line in counted.lines] == [3, 0, 1, 2]
    same_cost = (Option(0, "A", "", "huertos", 5), Option(1, "B", "", "huertos", 5))
    assert [line.rank for line in tally(Rules("single"), same_cost, [(1,), (0,)]).lines] == [1, 2]
    assert tally(Rules("single"), same_cost, [(1,), (0,)]).lines[0].option.title == "A"


def test_invalid_ballots_are_not_counted() -> None:
    counted = tally(Rules("approval", max_choices=1), OPTIONS, [(0, 1), (5,), (), (1,)])
    assert counted.voters == 1
    assert {line.option.index: line.score for line in counted.lines}[1] == 1
