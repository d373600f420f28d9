"""Where the questions of a form stand: the order the chat asks them in, and each repeat's block.

A form's places are runs of questions outside repeats and, for each repeat, a block
asked once per instance (its questions, then its own "add another?" question, which a
counted repeat does not ask). Worked out once per form from its questions; which places
apply to a vecina's answers is the evaluation's (evaluation.py).
"""

from collections.abc import Callable
from functools import cached_property
from typing import Any

from conversations.surveys.conditions import Conditions, reads_instances
from conversations.surveys.expr import clocked, references
from conversations.surveys.questions import Place, Question, QuestionType

Run = tuple[str, tuple[Place, ...], Any]  # a repeat ("" outside), its places, their indexes (a set in a repeat)


class Layout:
    """The places of a form's questions, in order, and what each repeat's block reads."""

    def __init__(self, questions: tuple[Question, ...]) -> None:
        self.questions = questions
        self.repeat_of: dict[str, str] = {q.name: q.repeat for q in questions if q.repeat}
        blocks: dict[str, tuple[int, int]] = {}
        for index, question in enumerate(questions):
            if question.repeat:
                blocks[question.repeat] = (blocks.get(question.repeat, (index, index))[0], index)
        self.repeats = blocks  # each repeat's first question and its own one ("add another?", last)
        names: dict[str, tuple[str, ...]] = {}
        for name, repeat in self.repeat_of.items():
            names[repeat] = (*names.get(repeat, ()), name)
        self.names_in = names  # per repeat, the names of its questions (its own one included)

    def key(self, place: Place) -> str:
        """Where the answer at `place` is stored: the name, or "name#instance" inside a repeat."""
        name = self.questions[place.index].name
        return f"{name}#{place.instance}" if place.instance else name

    def order(self, place: Place) -> tuple[int, int, int]:
        """Sorts places in the order they are asked: a repeat's block instance by instance."""
        repeat = self.questions[place.index].repeat
        return (self.repeats[repeat][0] if repeat else place.index, place.instance, place.index)

    @cached_property
    def segments(self) -> tuple[tuple[str, tuple[Place, ...]], ...]:
        """The places in the order asked: runs outside repeats ("", their places), and each repeat's block
        (its name, the places of one instance, numbered as instance 0)."""
        segments: list[tuple[str, list[Place]]] = []
        for index, question in enumerate(self.questions):
            if question.repeat and not question.asked and question.type == QuestionType.REPEAT:
                continue  # a counted repeat's own question: nothing asks it
            if not segments or segments[-1][0] != question.repeat:
                segments.append((question.repeat, []))
            segments[-1][1].append(Place(index))
        return tuple((repeat, tuple(places)) for repeat, places in segments)

    def _runs(self, keep: Callable[[Question], bool]) -> tuple[Run, ...]:
        """`segments` with only the places of the questions `keep` takes, and their indexes."""
        runs = []
        for repeat, places in self.segments:
            kept = tuple(place for place in places if keep(self.questions[place.index]))
            runs.append((repeat, kept, frozenset(p.index for p in kept) if repeat else tuple(p.index for p in kept)))
        return tuple(runs)

    @cached_property
    def all_runs(self) -> tuple[Run, ...]:
        return self._runs(lambda question: True)

    @cached_property
    def asked_runs(self) -> tuple[Run, ...]:
        """The places the chat asks (questions, notes, "add another?")."""
        return self._runs(lambda question: question.asked)

    @cached_property
    def listed_runs(self) -> tuple[Run, ...]:
        """The places that take an answer (not notes): what the review lists and progress counts."""
        return self._runs(lambda question: question.asked and question.type != QuestionType.NOTE)

    @cached_property
    def asked_outside(self) -> tuple[tuple[str, ...], tuple[int, ...]]:
        """Names and indexes of the questions the chat asks outside repeats."""
        asked = [(q.name, i) for i, q in enumerate(self.questions) if q.asked and not q.repeat]
        return tuple(name for name, _ in asked), tuple(index for _, index in asked)

    @cached_property
    def filtered(self) -> tuple[int, ...]:
        """Indexes of the questions with a choice_filter."""
        return tuple(i for i, q in enumerate(self.questions) if q.choice_filter is not None)

    def block_reads(self, conditions: Conditions) -> dict[str, frozenset[str] | None]:
        """Per repeat, the names whose change may change its count or which of its places apply (None: any
        change may, as its conditions read the clock or other instances)."""
        reads: dict[str, frozenset[str] | None] = {}
        for repeat, (first, own) in self.repeats.items():
            questions = self.questions[first:own + 1]
            trees = [tree for q in questions for tree in q.conditions]
            if self.questions[own].repeat_count is not None:
                trees.append(self.questions[own].repeat_count)  # type: ignore[arg-type]
            if any(clocked(tree) or reads_instances(tree, repeat, self.repeat_of) for tree in trees):
                reads[repeat] = None
                continue
            reads[repeat] = frozenset({repeat, *self.names_in[repeat]}.union(*(references(tree) for tree in trees)))
        return reads
