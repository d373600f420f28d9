"""Calculations: which depend on which answers, and recomputing only those a change reaches.

A `calculate` question's value follows its inputs. After a change, only the calculations
whose inputs changed are evaluated (for one that reads other instances, like sum(), also
those whose repeats' counts may have changed; one that reads other instances and the clock,
always), in form order, so a change flows on through calculations that use other
calculations; a calculation inside a repeat is computed in each instance.
"""

from collections.abc import Mapping
from functools import cached_property
from heapq import heapify, heappop, heappush
from typing import TYPE_CHECKING, Any

from conversations.surveys.answers import Answers
from conversations.surveys.conditions import reads_instances
from conversations.surveys.expr import clocked, value
from conversations.surveys.questions import Place, split_key

if TYPE_CHECKING:
    from conversations.surveys.form import Form


class Calculations:
    """What a form's calculations depend on, worked out once per form."""

    def __init__(self, form: "Form") -> None:
        self.form = form
        questions = form.questions
        self.indexes = tuple(i for i, q in enumerate(questions) if q.calculation is not None)
        self.outside = {questions[i].name: i for i in self.indexes if not questions[i].repeat}
        self.repeated = tuple(i for i in self.indexes if questions[i].repeat)

    def recalculate(self, answers: Mapping[str, Any], changed: set[str]) -> dict[str, Any]:
        """New values of the calculations that depend on `changed` keys (or were never computed)."""
        form = self.form
        current = Answers.of(answers)
        changed = {split_key(key)[0] for key in changed}
        updated: dict[str, Any] = {}
        counts: dict[str, int] = {}  # a repeat's count reads only questions before it: once is enough
        readers, depends, always = self.readers, self.depends, self.always
        # never computed (looked up one by one: `keys() - keys()` would walk every answer of a long form)
        never = (index for name, index in self.outside.items() if name not in current)
        todo = [*{*always, *self.repeated, *never}.union(*(readers.get(name, ()) for name in changed))]
        heapify(todo)  # in form order, without visiting the calculations nothing reaches
        done: set[int] = set()
        while todo:
            index = heappop(todo)
            if index in done:
                continue
            done.add(index)
            question = form.questions[index]
            if question.repeat and question.repeat not in counts:
                counts[question.repeat] = form.evaluation(current).instances(question.repeat)
            places = ([Place(index, k) for k in range(1, counts[question.repeat] + 1)]
                      if question.repeat else [Place(index)])
            for place in places:
                key = form.layout.key(place)
                if key in current and not depends[index] & changed and index not in always:
                    continue
                result = self.calculate(place, current)
                if key not in current or current[key] != result:
                    current = current.but({key: result})
                    updated[key] = result
                    changed.add(question.name)
                    for reader in readers.get(question.name, ()):
                        if reader > index:  # (one before it was visited already, as in form order)
                            heappush(todo, reader)
        return updated

    def calculate(self, place: Place, answers: Mapping[str, Any]) -> Any:
        """A calculation's value at `place` for these answers ('' → None; None when it does not apply)."""
        form = self.form
        question = form.questions[place.index]
        evaluation = form.evaluation(answers)
        if question.calculation is None or not evaluation.applies_at(place):
            return None
        result = value(question.calculation, evaluation.seen(place), choice_name=form.choice_name, zone=form.zone)
        return None if result == "" else result

    @cached_property
    def depends(self) -> dict[int, frozenset[str]]:
        """Per calculation, the names whose change may change its value: its inputs, and for one that reads
        other instances, what the counts of the repeats it reads depend on (their inputs, their "add
        another?" answers), through repeats counted from other repeats."""
        form, depends = self.form, {}
        repeat_of = form.layout.repeat_of
        for index in self.indexes:
            question, names = form.questions[index], set(form.questions[index].inputs)
            if index in self.volatile:
                waiting, done = {repeat_of.get(name, "") for name in names} | {question.repeat}, {""}
                while waiting - done:
                    repeat = (waiting - done).pop()
                    done.add(repeat)
                    own = form.questions[form.layout.repeats[repeat][1]]
                    names |= own.inputs | {repeat}
                    waiting |= {repeat_of.get(name, "") for name in own.inputs}
            depends[index] = frozenset(names)
        return depends

    @cached_property
    def readers(self) -> dict[str, frozenset[int]]:
        """Per question name, the calculations that depend on it (see `depends`)."""
        readers: dict[str, set[int]] = {}
        for index, names in self.depends.items():
            for name in names:
                readers.setdefault(name, set()).add(index)
        return {name: frozenset(indexes) for name, indexes in readers.items()}

    @cached_property
    def always(self) -> frozenset[int]:
        """Calculations that read other instances and the clock (or whose repeats are counted by the clock):
        recomputed on every change."""
        questions = self.form.questions
        clocked_repeats = {name for name, (_, end) in self.form.layout.repeats.items() if any(
            clocked(tree) for tree in (questions[end].repeat_count, *questions[end].conditions) if tree is not None)}
        return frozenset(i for i in self.volatile if clocked(questions[i].calculation)  # type: ignore[arg-type]
                         or any(clocked(tree) for tree in questions[i].conditions)
                         or self.depends[i] & clocked_repeats)

    @cached_property
    def volatile(self) -> frozenset[int]:
        """Calculations that read other instances: their value depends on more than their inputs' answers."""
        repeat_of = self.form.layout.repeat_of
        return frozenset(i for i in self.indexes if any(
            reads_instances(tree, self.form.questions[i].repeat, repeat_of)
            for tree in (self.form.questions[i].calculation, *self.form.questions[i].conditions)))
