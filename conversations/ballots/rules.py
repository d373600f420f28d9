"""The rules of a ballot and how its votes are counted; pure functions, no I/O.

The same rules serve the chat (toggling, confirming) and the API (results, exports),
so a choice the chat accepts is exactly a choice the count understands.

Counting, as published to ejecutores:
- `single`, `approval`, `budget`: one vote for each iniciativa a ballot includes.
- `ranked` (Borda, truncated at k places): first place gets k points, second k-1, ...,
  k-th place 1 point; iniciativas left out get 0.
- Ranking: more points (votes) first; ties broken by more ballots including the
  iniciativa, then the cheaper one, then the order in which the ejecutor listed them.
- Selected set for `budget` (greedy, as participatory-budget platforms do): walk down the
  ranking and take each iniciativa with at least one vote whose cost still fits in what
  is left of the budget; one that does not fit is skipped and the walk goes on.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

SINGLE, APPROVAL, BUDGET, RANKED = "single", "approval", "budget", "ranked"
METHODS = (SINGLE, APPROVAL, BUDGET, RANKED)
AMBITOS = ("bienestar", "habitabilidad", "huertos")

COUNTING_RULE = (
    "single/approval/budget: one vote per iniciativa on a ballot. ranked: Borda truncated at k "
    "places (1st = k points ... k-th = 1 point, unranked 0). Ranking by points (votes), then by "
    "ballots including the iniciativa, then lower cost, then listing order. budget: greedy down "
    "the ranking, taking each iniciativa with votes that still fits the remaining budget."
)


@dataclass(frozen=True)
class Rules:
    method: str
    max_choices: int = 1  # k for approval and ranked; 1 for single; unused for budget
    budget: int | None = None  # CLP, for budget
    min_budget_share: float | None = None  # 0..1 of the budget a budget vote must use


@dataclass(frozen=True)
class Option:
    """One iniciativa on the ballot; `index` is its position as the ejecutor listed it."""

    index: int
    title: str
    description: str
    ambito: str
    cost: int
    # the title and description in other languages, as (locale, title, description); Spanish is above
    translations: tuple[tuple[str, str, str], ...] = ()

    def in_language(self, locale: str) -> "Option":
        """The iniciativa as a vecino reading `locale` sees it (Spanish when there is no such version)."""
        for language, title, description in self.translations:
            if language == locale:
                return replace(self, title=title or self.title, description=description or self.description)
        return self


@dataclass(frozen=True)
class Problem:
    """Why a selection breaks the rule: unknown, too_many, over_budget, under_budget, empty."""

    code: str
    option: Option | None = None


def total_cost(options: Sequence[Option], selection: Sequence[int]) -> int:
    by_index = {o.index: o for o in options}
    return sum(by_index[i].cost for i in selection if i in by_index)


def minimum_spend(rules: Rules) -> int:
    if rules.method != BUDGET or not rules.budget or not rules.min_budget_share:
        return 0
    return int(rules.budget * rules.min_budget_share + 0.5)


def toggle(rules: Rules, options: Sequence[Option], selection: Sequence[int],
           index: int) -> tuple[tuple[int, ...], Problem | None]:
    """The selection after pressing iniciativa `index`, or the unchanged one and the problem."""
    current = tuple(selection)
    option = next((o for o in options if o.index == index), None)
    if option is None:
        return current, Problem("unknown")
    if index in current:
        return tuple(i for i in current if i != index), None
    if rules.method == SINGLE:
        return (index,), None
    if rules.method in (APPROVAL, RANKED) and len(current) >= rules.max_choices:
        return current, Problem("too_many", option)
    if rules.method == BUDGET and total_cost(options, current) + option.cost > (rules.budget or 0):
        return current, Problem("over_budget", option)
    return (*current, index), None


def check(rules: Rules, options: Sequence[Option], selection: Sequence[int]) -> Problem | None:
    """The first rule a complete selection breaks, or None when it can be confirmed."""
    known = {o.index for o in options}
    if not selection:
        return Problem("empty")
    if any(i not in known for i in selection) or len(set(selection)) != len(selection):
        return Problem("unknown")
    limit = 1 if rules.method == SINGLE else rules.max_choices
    if rules.method != BUDGET and len(selection) > limit:
        return Problem("too_many")
    if rules.method == BUDGET:
        spent = total_cost(options, selection)
        if spent > (rules.budget or 0):
            return Problem("over_budget")
        if spent < minimum_spend(rules):
            return Problem("under_budget")
    return None


@dataclass(frozen=True)
class Line:
    option: Option
    score: int  # votes, or Borda points for ranked
    ballots: int  # ballots that include it
    rank: int
    selected: bool


@dataclass(frozen=True)
class Tally:
    lines: tuple[Line, ...]  # in ranking order
    voters: int

    @property
    def selected(self) -> tuple[Line, ...]:
        return tuple(line for line in self.lines if line.selected)

    @property
    def selected_cost(self) -> int:
        return sum(line.option.cost for line in self.selected)


def tally(rules: Rules, options: Sequence[Option], ballots: Iterable[Sequence[int]]) -> Tally:
    """Count valid ballots (an invalid one, e.g. after an edit of the ballot, is ignored)."""
    score = {o.index: 0 for o in options}
    present = {o.index: 0 for o in options}
    voters = 0
    for ballot in ballots:
        if check(rules, options, ballot) is not None:
            continue
        voters += 1
        for place, index in enumerate(ballot):
            present[index] += 1
            score[index] += rules.max_choices - place if rules.method == RANKED else 1
    order = sorted(options, key=lambda o: (-score[o.index], -present[o.index], o.cost, o.index))
    chosen = _greedy(rules, order, score) if rules.method == BUDGET else set()
    lines = tuple(
        Line(o, score[o.index], present[o.index], rank, o.index in chosen)
        for rank, o in enumerate(order, start=1)
    )
    return Tally(lines, voters)


def _greedy(rules: Rules, order: Sequence[Option], score: dict[int, int]) -> set[int]:
    left = rules.budget or 0
    chosen: set[int] = set()
    for option in order:
        if score[option.index] > 0 and option.cost <= left:
            chosen.add(option.index)
            left -= option.cost
    return chosen
