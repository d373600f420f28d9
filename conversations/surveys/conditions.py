"""Whether questions apply: the form's conditions (each question's `relevant` and its groups'), decided cheaply.

Questions that share their conditions (those of one group, without a relevant of their
own) form one condition set, decided once. Each set knows the names it reads, so that after
a change only the sets reading a changed answer are decided again, and those that read the
clock (today(), now()) or other instances than their own (count(), sum()...), which are
decided every time; a condition's result is also remembered by the values it reads.
"""

from collections.abc import Iterable, Mapping
from datetime import tzinfo
from functools import cached_property
from typing import Any

from conversations.surveys.expr import Node, clocked, evaluate, instanced, references
from conversations.surveys.questions import Question

MEMO_SIZE = 20_000  # remembered condition results per form
Condition = tuple[Node, tuple[str, ...] | None]  # a tree and the names it reads (None: its value is not told by them)


def _hashable(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


class Conditions:
    """The condition sets of a form's questions, and the results remembered by the values they read."""

    def __init__(self, questions: tuple[Question, ...], repeat_of: Mapping[str, str], zone: tzinfo) -> None:
        self.zone = zone
        distinct = {tuple(map(id, q.conditions)): (q.conditions, q.repeat) for q in questions}
        position = {key: n for n, key in enumerate(distinct)}
        self.sets: list[tuple[Condition, ...]] = [
            tuple((tree, None if clocked(tree) or reads_instances(tree, repeat, repeat_of)
                   else tuple(sorted(references(tree)))) for tree in conditions)
            for conditions, repeat in distinct.values()]
        self.set_of: tuple[int, ...] = tuple(position[tuple(map(id, q.conditions))] for q in questions)
        self._memo: dict[tuple[Any, ...], bool] = {}

    @cached_property
    def reading(self) -> dict[str, frozenset[int]]:
        """Per question name, the condition sets that read its value."""
        reading: dict[str, set[int]] = {}
        for k, conditions in enumerate(self.sets):
            for _, refs in conditions:
                for name in refs or ():
                    reading.setdefault(name, set()).add(k)
        return {name: frozenset(sets) for name, sets in reading.items()}

    @cached_property
    def clocked(self) -> frozenset[int]:
        """The condition sets that read the clock or other instances: decided on every change."""
        return frozenset(k for k, conditions in enumerate(self.sets) if any(refs is None for _, refs in conditions))

    def touched(self, names: Iterable[str]) -> set[int]:
        """The condition sets to decide again when the answers to `names` changed."""
        reading = self.reading
        return self.clocked.union(*(reading.get(name, ()) for name in names))

    def decide(self, k: int, answers: Mapping[str, Any], remember: bool = True) -> bool:
        """Whether every condition of set `k` holds (`remember`: through the results remembered by values)."""
        return all(self.holds(tree, refs if remember else None, answers) for tree, refs in self.sets[k])

    def applies_at(self, index: int, answers: Mapping[str, Any], walked: dict[int, bool],
                   remember: bool = True) -> bool:
        """Whether question `index`'s conditions hold; `walked` keeps results of conditions shared by a group."""
        for tree, refs in self.sets[self.set_of[index]]:
            result = walked.get(id(tree))
            if result is None:
                result = walked[id(tree)] = self.holds(tree, refs if remember else None, answers)
            if not result:
                return False
        return True

    def holds(self, tree: Node, refs: tuple[str, ...] | None, answers: Mapping[str, Any]) -> bool:
        """Whether a condition holds; remembered by the values of `refs` (None: evaluated every time)."""
        if refs is None:
            return evaluate(tree, answers, zone=self.zone)
        memo = self._memo
        key = (id(tree), *(_hashable(answers.get(name)) for name in refs))
        holds = memo.get(key)
        if holds is None:
            if len(memo) > MEMO_SIZE:
                memo.clear()
            holds = memo[key] = evaluate(tree, answers, zone=self.zone)
        return holds


def reads_instances(tree: Node, repeat: str, repeat_of: Mapping[str, str]) -> bool:
    """Whether an expression at a question of `repeat` reads other instances than its own (count(), sum(), a
    repeated question from outside its repeat...), so its value is not told by the answers it names."""
    return instanced(tree) or any(repeat_of.get(name, "") not in ("", repeat) for name in references(tree))
