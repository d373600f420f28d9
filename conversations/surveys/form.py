"""A survey definition as the chat and the exports use it, checked once when it is loaded.

The definition is plain JSON (what the API accepts and stores, and what an XLSForm is
turned into): questions in order, each with a type, labels per language, `required`, and
XLSForm `relevant` / `constraint` / `calculation` / `choice_filter` expressions; a `group`
item holds questions of its own (its `relevant` applies to all of them, its label is the
section heading); a scale's `anchors` say what its 1 and its 5 mean. A `repeat` item is a
group asked once per instance (a household's members): `repeat_count` says how many (a
number or an expression), else the vecino is asked after each instance whether to add
another. Answers inside a repeat are keyed `name#instance` (`Place` says which question
and instance); expressions there read the current instance's answers (see `Seen`).
`sensitive` marks a question, or a group and so all its questions, as asking about
something Ley 21.719 calls sensitive (income, health): the chat asks the vecino's express
consent before the first of them. `Form.load` flattens the groups and reports every
problem it finds at once (`FormError.problems`), each naming the question.
"""

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import tzinfo
from enum import StrEnum
from functools import cached_property
from itertools import compress
from operator import not_
from typing import Any
from zoneinfo import ZoneInfo

from conversations.surveys.expr import (
    SANTIAGO,
    ExpressionError,
    Node,
    clocked,
    columns,
    evaluate,
    instanced,
    parse,
    references,
    value,
)


class QuestionType(StrEnum):
    SELECT_ONE = "select_one"
    SELECT_MULTIPLE = "select_multiple"
    TEXT = "text"
    INTEGER = "integer"
    DECIMAL = "decimal"
    DATE = "date"
    NOTE = "note"
    SCALE = "scale"  # 1 to 5
    RANGE = "range"  # a number from `parameters` start to end by step: buttons when few, else typed
    TIME = "time"  # stored "18:30"
    DATETIME = "datetime"  # stored "2026-12-24T18:30"
    ACKNOWLEDGE = "acknowledge"  # a statement to accept with one button; stored "OK"
    RANK = "rank"  # the choices in order of preference, stored as a list
    CALCULATE = "calculate"  # never asked: its value follows its inputs, and is exported
    GEOPOINT = "geopoint"  # a shared location (or typed "lat, lon"), stored as ODK does: "lat lon alt accuracy"
    IMAGE = "image"  # a photo, stored as the channel's reference to it (never the bytes); optional only
    START = "start"  # metadata, never asked: when the vecino started (ISO, with the barrio's offset)
    END = "end"  # metadata: when the vecino last finished or changed an answer
    TODAY = "today"  # metadata: the barrio's date when the vecino started
    GROUP = "group"  # holds `questions`; flattened by Form.load
    REPEAT = "repeat"  # a group asked once per instance; flattened, then itself the "add another?" question


class SurveyKind(StrEnum):
    """What a survey is for in the programme: the diagnóstico, the entry and exit measurements, follow-up."""

    DIAGNOSTICO = "diagnostico"
    LINEA_BASE = "linea_base"
    LINEA_SALIDA = "linea_salida"
    SEGUIMIENTO = "seguimiento"


TYPES = tuple(QuestionType)
CHOICE_TYPES = (QuestionType.SELECT_ONE, QuestionType.SELECT_MULTIPLE)
METADATA = (QuestionType.START, QuestionType.END, QuestionType.TODAY)  # recorded by the chat itself
UNASKED = (QuestionType.CALCULATE, *METADATA)
SCALE = tuple(str(n) for n in range(1, 6))
MAX_CHOICES = 40  # buttons that fit in the chat (after a choice_filter)
MAX_NESTING = 10  # groups inside groups
MAX_RANGE_BUTTONS = 11  # a range with more steps than this is typed
MEMO_SIZE = 20_000  # remembered condition results per form
MAX_INSTANCES = 50  # of one repeat, whatever its repeat_count says
STRIDE = 10_000  # a place's number: the question's index + STRIDE x its instance (button data, chat state)
MAX_REPEATED_NAME = 60  # "name#50" must fit the 64 characters an answer's key may have
Labels = Mapping[str, str]
_Run = tuple[str, tuple["Place", ...], Any]  # a repeat ("" outside), its places, their indexes (a set in a repeat)
_GONE = object()  # no answer at all (not even None)
_REFERENCE = re.compile(r"\$\{([A-Za-z_][\w.-]*)\}")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a definition: which question (position in reading order, name), which field;
    `code` and `params` say it for a reader's own language (api/surveys/xlsform_problems.py words them),
    `message` in English for the JSON API."""

    position: int
    name: str
    column: str
    message: str
    code: str = "invalid"
    params: Mapping[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        where = f"question {self.position} ({self.name or 'no name'})" if self.position else "form"
        return f"{where}: {self.message}"


class FormError(ValueError):
    """The definition is not usable; `problems` lists everything wrong, the message says it all."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(problem) for problem in problems))


def _hashable(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def number_text(number: float) -> str:
    """1.0 -> "1", 2.5 -> "2.5": numbers as a form shows and stores them."""
    return str(int(number)) if float(number).is_integer() else str(round(number, 6))


def pick(labels: Labels, locale: str, default: str) -> str:
    """The label in `locale`, else in the form's default language, else any."""
    return labels.get(locale) or labels.get(default) or next(iter(labels.values()), "")


@dataclass(frozen=True)
class Choice:
    name: str
    label: Labels
    columns: Mapping[str, str] = field(default_factory=dict)  # other columns, for choice_filter


@dataclass(frozen=True)
class Question:
    name: str
    type: str
    label: Labels
    hint: Labels
    required: bool
    choices: tuple[Choice, ...]
    relevant: Node | None
    constraint: Node | None
    constraint_message: Labels
    required_message: Labels = field(default_factory=dict)
    calculation: Node | None = None
    choice_filter: Node | None = None
    conditions: tuple[Node, ...] = ()  # its own relevant and those of every group around it
    section: Labels = field(default_factory=dict)  # the label of the innermost labelled group
    group: str = ""  # the path of groups around it, "hogar/salud"
    inputs: frozenset[str] = frozenset()  # what a calculation's value depends on
    bounds: tuple[float, float, float] | None = None  # a range's start, end, step
    default: str | None = None  # offered as the answer ("Usar: ...") until one is given
    sensitive: bool = False  # asked only with the vecino's express consent (its own mark or a group's)
    topic: Labels = field(default_factory=dict)  # what it asks about, as the consent names it
    repeat: str = ""  # the repeat it is asked in, once per instance ("" outside repeats)
    repeat_count: Node | None = None  # a repeat's own question: how many instances (else "add another?")
    anchors: tuple[Labels, Labels] | None = None  # a scale's meaning of 1 and of 5 ("nada", "mucho")

    @property
    def options(self) -> tuple[Choice, ...]:
        """The buttons: the choices, 1..5 for a scale, a short range's steps (before any choice_filter)."""
        if self.type == "scale":
            return tuple(Choice(n, {}) for n in SCALE)
        if self.type == "range" and self.bounds is not None:
            start, end, step = self.bounds
            count = int(round((end - start) / step)) + 1
            if count <= MAX_RANGE_BUTTONS:
                return tuple(Choice(number_text(start + n * step), {}) for n in range(count))
            return ()
        return self.choices

    def in_range(self, number: float) -> bool:
        """Whether a typed number is one of the range's steps."""
        if self.bounds is None:
            return False
        start, end, step = self.bounds
        steps = (number - start) / step
        return min(start, end) <= number <= max(start, end) and abs(steps - round(steps)) < 1e-9

    @cached_property
    def asked(self) -> bool:
        """Whether the chat asks it (a calculation, metadata or a counted repeat is not asked; a note is shown)."""
        return self.type not in UNASKED and not (self.type == QuestionType.REPEAT and self.repeat_count is not None)

    def choice_label(self, code: str, locale: str, default: str) -> str:
        for choice in self.choices:
            if choice.name == code:
                return pick(choice.label, locale, default)
        return code


@dataclass(frozen=True, order=True)
class Place:
    """A question and the instance of its repeat (0 outside repeats): one thing the chat asks."""

    index: int
    instance: int = 0

    @property
    def number(self) -> int:
        """The place as one number, for button data and the chat's state."""
        return self.index + STRIDE * self.instance

    @classmethod
    def of(cls, number: int) -> "Place":
        instance, index = divmod(number, STRIDE)
        return cls(index, instance)


def _first_instances(answers: Mapping[str, Any]) -> dict[str, Any]:
    """Answers by question name, a repeated question's first instance ("edad#1" as "edad")."""
    seen: dict[str, Any] = {}
    for key, answer in answers.items():
        if "#" not in key:
            seen[key] = answer
            continue
        name, _, instance = key.partition("#")
        if instance == "1":
            seen[name] = answer
    return seen


def _changed(before: Mapping[str, Any], after: Mapping[str, Any]) -> Iterable[str]:
    """The keys whose answer differs (or may differ) between two sets of answers."""
    try:
        return [key for key, _ in before.items() ^ after.items()]
    except TypeError:  # a multiple choice's list cannot be hashed
        return [*(key for key, answer in after.items() if before.get(key, _GONE) != answer),
                *(before.keys() - after.keys())]


def split_key(key: str) -> tuple[str, int]:
    """An answer's key as (question name, instance): "edad#2" -> ("edad", 2), "barrio" -> ("barrio", 0)."""
    name, _, instance = key.partition("#")
    return name, int(instance) if instance.isdigit() else 0


class Seen(dict[str, Any]):
    """The answers as an expression at one place reads them, by question name.

    A question of the same repeat is the current instance's answer; a repeated question read
    from elsewhere is its first instance's (as XPath reads a node-set); `nodes` gives all
    instances to count(), sum() (from outside the repeat), indexed-repeat(); `position` is position(..). A plain dict
    underneath, so that the many lookups of a walk cost what they cost without repeats; built
    from the form's view of the answers outside repeats (made once per set of answers), with
    the current instance's answers laid over it.
    """

    def __init__(self, form: "Form", answers: Mapping[str, Any], repeat: str = "", position: int = 0) -> None:
        super().__init__(form._outside(answers))
        self.form, self.answers, self.repeat, self.position = form, answers, repeat, position
        if not repeat:
            return
        for name in form._names_in[repeat]:
            key = f"{name}#{position}"
            if key in answers:
                self[name] = answers[key]
            elif name in answers:
                self[name] = answers[name]
            else:
                self.pop(name, None)

    def nodes(self, name: str, absolute: bool = False) -> list[Any] | None:
        repeat = self.form.repeat_of(name)
        if not repeat or (repeat == self.repeat and not absolute):
            return None
        count = self.form.instances(self.answers, repeat)
        return [self.answers.get(f"{name}#{k}") for k in range(1, count + 1)]


@dataclass(frozen=True)
class Form:
    title: Labels
    default_language: str
    questions: tuple[Question, ...]
    zone: tzinfo = SANTIAGO  # the barrio's: today() and now() are its date and time
    declared: tuple[str, ...] = ()  # the languages it says it is written in (an XLSForm's own labels)

    @classmethod
    def load(cls, definition: Mapping[str, Any], timezone: str | None = None) -> "Form":
        default = str(definition.get("default_language") or "es")
        reader = _Reader(default, bool(definition.get("allow_choice_duplicates")))
        title = reader.labels(definition.get("title"), 0, "", "title")
        if not title:
            reader.problems.append(Problem(0, "", "title", "the survey needs a title", "no_title"))
        reader.items(definition.get("questions") or [], (), {}, "", None)
        questions = tuple(reader.questions)
        reader.check_references(questions)
        if not reader.problems and not any(q.asked and q.type != "note" for q in questions):
            reader.problems.append(Problem(0, "", "questions", "the survey has no question to answer",
                                           "no_questions"))
        if reader.problems:
            raise FormError(reader.problems)
        return cls(title=title, default_language=default, questions=questions,
                   zone=ZoneInfo(timezone) if timezone else SANTIAGO,
                   declared=tuple(str(code) for code in definition.get("languages") or ()))

    def text(self, labels: Labels, locale: str) -> str:
        return pick(labels, locale, self.default_language)

    def anchors(self, question: Question, locale: str) -> tuple[str, str] | None:
        """What the scale's 1 and 5 mean in `locale` ("nada", "mucho"), or None if the form does not say."""
        if question.anchors is None:
            return None
        low, high = question.anchors
        return self.text(low, locale), self.text(high, locale)

    def say(self, labels: Labels, locale: str, answers: Mapping[str, Any]) -> str:
        """The label in `locale` with each `${name}` replaced by that answer as the vecino sees it."""
        text = self.text(labels, locale)
        if "${" not in text:
            return text
        return _REFERENCE.sub(lambda match: self.show(match.group(1), answers.get(match.group(1)), locale), text)

    def show(self, name: str, answer: Any, locale: str) -> str:
        """An answer as text: choice labels in `locale`, whole numbers without decimals, '' for none."""
        if answer is None:
            return ""
        question = self.question(name)
        if isinstance(answer, list):
            return ", ".join(self.show(name, item, locale) for item in answer)
        if question is not None and question.type in CHOICE_TYPES:
            return question.choice_label(str(answer), locale, self.default_language)
        if isinstance(answer, float) and answer.is_integer():
            return str(int(answer))
        return str(answer)

    @cached_property
    def languages(self) -> tuple[str, ...]:
        """Every language the form is written in, its default first: those it declares (an XLSForm's own
        labels, not the "Otro" we add in every language), else every language its labels have."""
        found = {self.default_language, *self.declared}
        if not self.declared:
            found.update(self.title)
            for question in self.questions:
                found.update(question.label, question.hint, *(choice.label for choice in question.choices))
        return (self.default_language, *sorted(found - {self.default_language}))

    def question(self, name: str) -> Question | None:
        return self._by_name.get(name)

    @cached_property
    def _by_name(self) -> dict[str, Question]:
        return {q.name: q for q in self.questions}

    def repeat_of(self, name: str) -> str:
        """The repeat a question is asked in ("" outside repeats; a repeat's own name for itself)."""
        return self._repeat_of.get(name, "")

    @cached_property
    def _repeat_of(self) -> dict[str, str]:
        return {q.name: q.repeat for q in self.questions if q.repeat}

    @cached_property
    def repeats(self) -> dict[str, tuple[int, int]]:
        """Each repeat's block of questions: the index of its first one and of its own ("add another?", last)."""
        blocks: dict[str, tuple[int, int]] = {}
        for index, question in enumerate(self.questions):
            if question.repeat:
                blocks[question.repeat] = (blocks.get(question.repeat, (index, index))[0], index)
        return blocks

    def key(self, place: Place) -> str:
        """Where the answer at `place` is stored: the name, or "name#instance" inside a repeat."""
        name = self.questions[place.index].name
        return f"{name}#{place.instance}" if place.instance else name

    def seen(self, answers: Mapping[str, Any], place: Place) -> Mapping[str, Any]:
        """The answers as expressions at `place` read them (the answers themselves in a form without repeats)."""
        if not self.repeats:
            return answers
        return Seen(self, answers, self.questions[place.index].repeat, place.instance)

    def order(self, place: Place) -> tuple[int, int, int]:
        """Sorts places in the order they are asked: a repeat's block instance by instance."""
        repeat = self.questions[place.index].repeat
        return (self.repeats[repeat][0] if repeat else place.index, place.instance, place.index)

    def instances(self, answers: Mapping[str, Any], repeat: str) -> int:
        """How many instances a repeat has now: its repeat_count, else one more than the "add another?"
        questions answered yes in a row; none when the repeat does not apply."""
        return self._once(answers, ("instances", repeat), lambda given: self._count(given, repeat))

    def _count(self, answers: Mapping[str, Any], repeat: str) -> int:
        own = self.questions[self.repeats[repeat][1]]
        outside = Seen(self, answers)
        if not all(evaluate(tree, outside) for tree in own.conditions):
            return 0
        if own.repeat_count is not None:
            try:
                count = int(float(value(own.repeat_count, outside)))
            except (TypeError, ValueError, OverflowError):
                return 0
            return max(0, min(count, MAX_INSTANCES))
        count = 1
        while count < MAX_INSTANCES and answers.get(f"{repeat}#{count}") is True:
            count += 1
        return count

    def walk(self, answers: Mapping[str, Any]) -> tuple[tuple[Place, bool], ...]:
        """Every place of the form for these answers, in the order asked, with whether it applies.

        A repeat's questions come once per instance, read in that instance; a counted repeat's
        own question is not a place (nothing asks it). Outside repeats this is `applies`;
        only the repeats' blocks are decided per instance.
        """
        return self._once(answers, "walk", self._walk)

    def _walk(self, answers: Mapping[str, Any]) -> tuple[tuple[Place, bool], ...]:
        vector, blocks = self._vector(answers), self._blocks(answers)
        found: list[tuple[Place, bool]] = []
        for repeat, places, indexes in self._all_runs:
            found += blocks[repeat] if repeat else zip(places, map(vector.__getitem__, indexes), strict=True)
        return tuple(found)

    def holding(self, answers: Mapping[str, Any]) -> tuple[Place, ...]:
        """The places the chat asks (questions, notes, "add another?") that apply to these answers, in order."""
        return self._once(answers, "holding", lambda given: self._applying(given, self._asked_runs))

    def listed(self, answers: Mapping[str, Any]) -> tuple[Place, ...]:
        """The places that apply and take an answer (not notes): what the review lists and progress counts."""
        return self._once(answers, "listed", lambda given: self._applying(given, self._listed_runs))

    def _applying(self, answers: Mapping[str, Any], runs: tuple[_Run, ...]) -> tuple[Place, ...]:
        """The places of `runs` that apply to these answers, in order."""
        vector, blocks = self._vector(answers), self._blocks(answers)
        found: list[Place] = []
        for repeat, places, indexes in runs:
            found += ([place for place, holds in blocks[repeat] if holds and place.index in indexes] if repeat
                      else compress(places, map(vector.__getitem__, indexes)))
        return tuple(found)

    def _vector(self, answers: Mapping[str, Any]) -> tuple[bool, ...]:
        """`applies` as read outside repeats (a repeated question read there is its first instance)."""
        if not self.repeats:
            return self.applies(answers)
        return self._once(answers, "vector", lambda given: self.applies(Seen(self, given)))

    def _blocks(self, answers: Mapping[str, Any]) -> dict[str, list[tuple[Place, bool]]]:
        """Per repeat, its places in every instance, with whether each applies there."""
        return self._once(answers, "blocks", self._walk_repeats)

    def _walk_repeats(self, answers: Mapping[str, Any]) -> dict[str, list[tuple[Place, bool]]]:
        blocks: dict[str, list[tuple[Place, bool]]] = {}
        for repeat, places in self._segments:
            if not repeat:
                continue
            found = blocks[repeat] = []
            for instance in range(1, self.instances(answers, repeat) + 1):
                seen, mine = Seen(self, answers, repeat, instance), {}
                found += [(Place(place.index, instance), self._applies_at(place.index, seen, mine))
                          for place in places]
        return blocks

    @cached_property
    def _segments(self) -> tuple[tuple[str, tuple[Place, ...]], ...]:
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

    def _runs(self, keep: Callable[[Question], bool]) -> tuple[_Run, ...]:
        """`_segments` with only the places of the questions `keep` takes, and their indexes."""
        runs = []
        for repeat, places in self._segments:
            kept = tuple(place for place in places if keep(self.questions[place.index]))
            runs.append((repeat, kept, frozenset(p.index for p in kept) if repeat else tuple(p.index for p in kept)))
        return tuple(runs)

    @cached_property
    def _all_runs(self) -> tuple[_Run, ...]:
        return self._runs(lambda question: True)

    @cached_property
    def _asked_runs(self) -> tuple[_Run, ...]:
        return self._runs(lambda question: question.asked)

    @cached_property
    def _listed_runs(self) -> tuple[_Run, ...]:
        return self._runs(lambda question: question.asked and question.type != QuestionType.NOTE)

    def stale(self, answers: Mapping[str, Any]) -> list[str]:
        """Keys of stored answers that no longer stand: a question that does not apply now, or an instance gone."""
        return list(self._once(answers, "stale", self._stale))

    def _stale(self, answers: Mapping[str, Any]) -> tuple[str, ...]:
        vector, (names, indexes) = self._vector(answers), self._asked_outside
        gone = set(compress(names, map(not_, map(vector.__getitem__, indexes)))) & answers.keys()
        if self.repeats:
            gone |= answers.keys() & self._repeat_of.keys()  # a repeated question's answer without an instance
            holds = {self.key(place): applies for block in self._blocks(answers).values() for place, applies in block}
            for key in [key for key in answers if "#" in key]:
                question = self.question(split_key(key)[0])
                if question is None or not question.repeat:
                    continue
                applies = holds.get(key)
                if applies is None or (applies is False and question.asked):
                    gone.add(key)
        return tuple(key for key in answers if key in gone) if gone else ()

    @cached_property
    def _asked_outside(self) -> tuple[tuple[str, ...], tuple[int, ...]]:
        """Names and indexes of the questions the chat asks outside repeats."""
        asked = [(q.name, i) for i, q in enumerate(self.questions) if q.asked and not q.repeat]
        return tuple(name for name, _ in asked), tuple(index for _, index in asked)

    def _once(self, answers: Mapping[str, Any], what: Any, compute: Callable[[Mapping[str, Any]], Any]) -> Any:
        """`compute(answers)`, remembered for these answers until others come: one update reads the same
        answers many times (a cache, not state: the form stays frozen)."""
        if type(answers) is not dict:
            return compute(answers)
        last = self.__dict__.get("_derived")
        if last is None or (last[0] is not answers and last[0] != answers):
            last = self.__dict__["_derived"] = (dict(answers), {})
        kept, found = last
        if what not in found:
            found[what] = compute(kept)  # the kept copy: what it asks in turn is found at once
        return found[what]

    def _outside(self, answers: Mapping[str, Any]) -> dict[str, Any]:
        """The answers as read outside repeats, by name: a repeated question is its first instance."""
        return self._once(answers, "outside", _first_instances)

    @cached_property
    def _names_in(self) -> dict[str, tuple[str, ...]]:
        """Per repeat, the names of its questions (its own one included)."""
        names: dict[str, tuple[str, ...]] = {}
        for name, repeat in self._repeat_of.items():
            names[repeat] = (*names.get(repeat, ()), name)
        return names

    def relevant(self, place: Place | int, answers: Mapping[str, Any]) -> bool:
        """Whether the question applies at `place` (an index: outside repeats): its relevant and its groups'."""
        place = Place(place) if isinstance(place, int) else place
        return self._applies_at(place.index, self.seen(answers, place), {})

    def applies(self, answers: Mapping[str, Any]) -> tuple[bool, ...]:
        """Which questions apply to these answers, in one walk (outside repeats: see `walk`).

        Questions that share their conditions (those of one group, without a relevant of
        their own) are decided once; from the last answers walked (one update asks several
        times, and each answer changes one value), only the conditions that read a changed
        value are decided again, and those that read the clock (today(), now()) or other
        instances (count(), sum()...); a condition's result is also remembered by the values
        of the questions it reads.
        """
        last = self.__dict__.get("_last")
        if last is not None and last[0] == answers:
            return last[2]
        if last is None:
            decided = [self._decide(k, answers) for k in range(len(self._condition_sets))]
        else:
            previous, decided = last[0], list(last[1])
            changed = {split_key(key)[0] for key in _changed(previous, answers)}
            for k in self._clocked_sets.union(*(self._sets_reading.get(name, ()) for name in changed)):
                decided[k] = self._decide(k, answers)
        vector = tuple(map(decided.__getitem__, self._condition_set_of))
        self.__dict__["_last"] = (dict(answers), decided, vector)  # a cache, not state: the form stays frozen
        return vector

    def _decide(self, k: int, answers: Mapping[str, Any]) -> bool:
        """Whether every condition of condition set `k` holds."""
        return all(self._holds(tree, refs, answers) for tree, refs in self._condition_sets[k])

    def _applies_at(self, index: int, answers: Mapping[str, Any], walked: dict[int, bool]) -> bool:
        """Whether question `index`'s conditions hold; `walked` keeps results of conditions shared by a group."""
        for tree, refs in self._condition_sets[self._condition_set_of[index]]:
            result = walked.get(id(tree))
            if result is None:
                result = walked[id(tree)] = self._holds(tree, refs, answers)
            if not result:
                return False
        return True

    @cached_property
    def _sets_reading(self) -> dict[str, frozenset[int]]:
        """Per question name, the condition sets that read its value."""
        reading: dict[str, set[int]] = {}
        for k, conditions in enumerate(self._condition_sets):
            for _, refs in conditions:
                for name in refs or ():
                    reading.setdefault(name, set()).add(k)
        return {name: frozenset(sets) for name, sets in reading.items()}

    @cached_property
    def _clocked_sets(self) -> frozenset[int]:
        """The condition sets that read the clock or other instances: decided on every walk."""
        return frozenset(k for k, conditions in enumerate(self._condition_sets)
                         if any(refs is None for _, refs in conditions))

    def _holds(self, tree: Node, refs: tuple[str, ...] | None, answers: Mapping[str, Any]) -> bool:
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

    @cached_property
    def _condition_sets(self) -> list[tuple[tuple[Node, tuple[str, ...] | None], ...]]:
        """Each distinct set of conditions, with the names each reads (None: it reads the clock or other
        instances than its own, so the answers it names do not tell its value)."""
        return [tuple((tree, None if clocked(tree) or self._reads_instances(tree, repeat)
                       else tuple(sorted(references(tree)))) for tree in conditions)
                for conditions, repeat in self._distinct_conditions]

    @cached_property
    def _distinct_conditions(self) -> list[tuple[tuple[Node, ...], str]]:
        """The questions' condition tuples, once each (the questions of a group share their trees), with the
        repeat they are asked in."""
        return list({tuple(map(id, q.conditions)): (q.conditions, q.repeat) for q in self.questions}.values())

    @cached_property
    def _condition_set_of(self) -> tuple[int, ...]:
        """Per question, the position of its conditions in `_condition_sets`."""
        position = {tuple(map(id, conditions)): n for n, (conditions, _) in enumerate(self._distinct_conditions)}
        return tuple(position[tuple(map(id, q.conditions))] for q in self.questions)

    @cached_property
    def answerable(self) -> tuple[int, ...]:
        """Indexes of the questions the chat asks (not calculations nor metadata), in order."""
        return tuple(i for i, q in enumerate(self.questions) if q.asked)

    @cached_property
    def filtered(self) -> tuple[int, ...]:
        """Indexes of the questions with a choice_filter."""
        return tuple(i for i, q in enumerate(self.questions) if q.choice_filter is not None)

    def _reads_instances(self, tree: Node, repeat: str) -> bool:
        """Whether an expression at a question of `repeat` reads other instances than its own (count(), sum(),
        a repeated question from outside its repeat...), so its value is not told by the answers it names."""
        return instanced(tree) or any(self.repeat_of(name) not in ("", repeat) for name in references(tree))

    @cached_property
    def _memo(self) -> dict[tuple[Any, ...], bool]:
        return {}

    def options(self, index: int, answers: Mapping[str, Any]) -> tuple[Choice, ...]:
        """The choices offered now: those the question's choice_filter keeps for these answers."""
        question = self.questions[index]
        if question.choice_filter is None:
            return question.options
        tree = question.choice_filter
        return tuple(c for c in question.choices
                     if evaluate(tree, answers, row={"name": c.name, **c.columns}, zone=self.zone))

    def recalculate(self, answers: Mapping[str, Any], changed: set[str]) -> dict[str, Any]:
        """New values of the calculations that depend on `changed` keys (or were never computed).

        Only calculations whose inputs changed are evaluated (for one that reads other
        instances, also the counts of the repeats it reads; one that reads other instances
        and the clock, always), in form order, so a change flows on through calculations
        that use other calculations; a calculation inside a repeat is computed in each instance.
        """
        current = dict(answers)
        changed = {split_key(key)[0] for key in changed}
        updated: dict[str, Any] = {}
        counts: dict[str, int] = {}  # a repeat's count reads only questions before it: once is enough
        readers, depends, always = self._readers, self._depends, self._always
        outside = self._calculated_outside
        never = (outside[name] for name in outside.keys() - current.keys())  # calculations never computed
        todo = {*always, *self._repeated_calculations, *never}.union(*(readers.get(name, ()) for name in changed))
        for index in self._calculations:
            if index not in todo:
                continue
            question = self.questions[index]
            if question.repeat and question.repeat not in counts:
                counts[question.repeat] = self.instances(current, question.repeat)
            places = ([Place(index, k) for k in range(1, counts[question.repeat] + 1)]
                      if question.repeat else [Place(index)])
            for place in places:
                key = self.key(place)
                if key in current and not depends[index] & changed and index not in always:
                    continue
                result = self.calculate(place, current)
                if key not in current or current[key] != result:
                    current[key] = updated[key] = result
                    changed.add(question.name)
                    todo.update(readers.get(question.name, ()))
        return updated

    @cached_property
    def _calculations(self) -> tuple[int, ...]:
        """Indexes of the questions with a calculation, in order."""
        return tuple(i for i, q in enumerate(self.questions) if q.calculation is not None)

    @cached_property
    def _calculated_outside(self) -> dict[str, int]:
        """The calculations outside repeats, by name."""
        return {self.questions[i].name: i for i in self._calculations if not self.questions[i].repeat}

    @cached_property
    def _repeated_calculations(self) -> tuple[int, ...]:
        """The calculations inside repeats (each instance's may be missing): looked at on every change."""
        return tuple(i for i in self._calculations if self.questions[i].repeat)

    @cached_property
    def _depends(self) -> dict[int, frozenset[str]]:
        """Per calculation, the names whose change may change its value: its inputs, and for one that reads
        other instances, what the counts of the repeats it reads depend on (their inputs, their "add
        another?" answers), through repeats counted from other repeats."""
        depends: dict[int, frozenset[str]] = {}
        for index in self._calculations:
            question, names = self.questions[index], set(self.questions[index].inputs)
            if index in self._volatile:
                waiting, done = {self.repeat_of(name) for name in names} | {question.repeat}, {""}
                while waiting - done:
                    repeat = (waiting - done).pop()
                    done.add(repeat)
                    own = self.questions[self.repeats[repeat][1]]
                    names |= own.inputs | {repeat}
                    waiting |= {self.repeat_of(name) for name in own.inputs}
            depends[index] = frozenset(names)
        return depends

    @cached_property
    def _readers(self) -> dict[str, frozenset[int]]:
        """Per question name, the calculations that depend on it (see `_depends`)."""
        readers: dict[str, set[int]] = {}
        for index, names in self._depends.items():
            for name in names:
                readers.setdefault(name, set()).add(index)
        return {name: frozenset(indexes) for name, indexes in readers.items()}

    @cached_property
    def _always(self) -> frozenset[int]:
        """Calculations that read other instances and the clock (or whose repeats are counted by the clock):
        recomputed on every change."""
        clocked_repeats = {name for name, (_, end) in self.repeats.items() if any(
            clocked(tree) for tree in (self.questions[end].repeat_count, *self.questions[end].conditions)
            if tree is not None)}
        return frozenset(i for i in self._volatile if clocked(self.questions[i].calculation)  # type: ignore[arg-type]
                         or any(clocked(tree) for tree in self.questions[i].conditions)
                         or self._depends[i] & clocked_repeats)

    @cached_property
    def _volatile(self) -> frozenset[int]:
        """Calculations that read other instances: their value depends on more than their inputs' answers."""
        return frozenset(i for i, q in enumerate(self.questions) if q.calculation is not None and any(
            self._reads_instances(tree, q.repeat) for tree in (q.calculation, *q.conditions)))

    def calculate(self, place: Place, answers: Mapping[str, Any]) -> Any:
        """A calculation's value at `place` for these answers ('' → None; None when it does not apply)."""
        question = self.questions[place.index]
        seen = self.seen(answers, place)
        if question.calculation is None or not self._applies_at(place.index, seen, {}):
            return None
        result = value(question.calculation, seen, choice_name=self._choice_name, zone=self.zone)
        return None if result == "" else result

    def accepts(self, index: int, answers: Mapping[str, Any], answer: Any) -> bool:
        """Whether an answer meets its question's constraint (`.` is the answer)."""
        constraint = self.questions[index].constraint
        return constraint is None or evaluate(constraint, answers, answer, zone=self.zone)

    def _choice_name(self, code: str, question: str) -> str:
        found = self.question(question)
        return found.choice_label(code, self.default_language, self.default_language) if found else code

    @cached_property
    def sensitive(self) -> bool:
        """Whether any question needs the vecino's consent."""
        return any(q.sensitive and q.asked for q in self.questions)

    def topics(self, locale: str) -> list[str]:
        """What the sensitive questions ask about (a marked group's label, else the question's), once each."""
        named = (self.text(q.topic, locale) for q in self.questions if q.sensitive and q.asked)
        return list(dict.fromkeys(topic for topic in named if topic))

    @cached_property
    def calculated(self) -> bool:
        """Whether any question is a calculation (else nothing needs recalculating)."""
        return any(q.calculation is not None for q in self.questions)

    @property
    def asked(self) -> tuple[Question, ...]:
        """Questions that take an answer or a value (not notes, nor a repeat's "add another?"): the export's columns."""
        return tuple(q for q in self.questions if q.type not in (QuestionType.NOTE, QuestionType.REPEAT))


class _Reader:
    """Reads a definition's items into flat questions, collecting every problem on the way."""

    def __init__(self, default: str, duplicates: bool) -> None:
        self.default, self.duplicates = default, duplicates
        self.questions: list[Question] = []
        self.problems: list[Problem] = []
        self.names: set[str] = set()
        self.position = 0
        self.repeat = ""  # the repeat whose questions are being read

    def problem(self, name: str, column: str, message: str, code: str, **params: Any) -> None:
        self.problems.append(Problem(self.position, name, column, message, code,
                                     {key: str(value) for key, value in params.items()}))

    def labels(self, value: Any, position: int, name: str, column: str) -> dict[str, str]:
        if value is None or value == "":
            return {}
        if isinstance(value, str):
            return {self.default: value.strip()}
        if isinstance(value, Mapping):
            return {str(k): str(v).strip() for k, v in value.items() if v is not None and str(v).strip()}
        self.problems.append(Problem(position, name, column, f"{column}: expected a text or a mapping of "
                                                             "language to text", "bad_labels"))
        return {}

    def expression(self, raw: Mapping[str, Any], name: str, column: str) -> Node | None:
        text = raw.get(column)
        if text is None or not str(text).strip():
            return None
        try:
            return parse(str(text))
        except ExpressionError as error:
            self.problem(name, column, f"{column}: {error}", "bad_expression", expression=text, detail=error)
            return None

    def items(self, raw_items: Any, conditions: tuple[Node, ...], section: Labels, group: str,
              topic: Labels | None) -> None:
        if not isinstance(raw_items, list):
            self.problem("", "questions", "questions: expected a list", "invalid")
            return
        for raw in raw_items:
            self.position += 1
            if not isinstance(raw, Mapping):
                self.problem("", "", "expected an object", "invalid")
                continue
            self.item(raw, conditions, section, group, topic)

    def item(self, raw: Mapping[str, Any], conditions: tuple[Node, ...], section: Labels, group: str,
             topic: Labels | None) -> None:
        """One item; `topic` is set inside a sensitive group (its label, what the consent names)."""
        name = str(raw.get("name") or "").strip()
        if not name or not name.replace("_", "a").replace("-", "a").replace(".", "a").isalnum():
            self.problem(name, "name", "the name must be letters, digits, '_', '-' or '.'", "invalid_name")
        elif name in self.names:
            self.problem(name, "name", "the name is used twice", "duplicate_name")
        elif self.repeat and len(name) > MAX_REPEATED_NAME:
            self.problem(name, "name", f"a name inside a repeat has at most {MAX_REPEATED_NAME} characters",
                         "long_name_in_repeat", n=MAX_REPEATED_NAME)
        self.names.add(name)
        kind = str(raw.get("type") or "")
        if kind not in TYPES:
            self.problem(name, "type", f"unsupported type {kind!r} (supported: {', '.join(TYPES)})", "unknown_type",
                         type=kind)
            return
        relevant = self.expression(raw, name, "relevant")
        label = self.labels(raw.get("label"), self.position, name, "label")
        inner = (*conditions, relevant) if relevant is not None else conditions
        if topic is None and raw.get("sensitive"):
            topic = label
        if kind in (QuestionType.GROUP, QuestionType.REPEAT):
            if group.count("/") + 1 >= MAX_NESTING:
                self.problem(name, "type", f"groups nest more than {MAX_NESTING} deep", "too_deep", n=MAX_NESTING)
                return
            path = f"{group}/{name}" if group else name
            if kind == QuestionType.REPEAT:
                self.repeat_item(raw, name, label or section, inner, path, topic)
                return
            self.items(raw.get("questions") or [], inner, label or section, path, topic)
            return
        if not label and kind not in UNASKED:
            self.problem(name, "label", "the question needs a label", "no_label")
        if kind == QuestionType.IMAGE and raw.get("required"):
            self.problem(name, "required", "a photo cannot be required in the chat (not every vecino can send "
                                           "one); make it optional", "required_photo")
        listed = kind in (*CHOICE_TYPES, QuestionType.RANK)
        choices = self.choices(raw.get("choices") or [], name) if listed else ()
        if listed and not choices and not any(p.name == name for p in self.problems):
            self.problem(name, "choices", f"a {kind} question needs choices", "no_choices", type=kind)
        choice_filter = self.expression(raw, name, "choice_filter")
        if len(choices) > MAX_CHOICES and choice_filter is None:
            self.problem(name, "choices", f"at most {MAX_CHOICES} choices fit in the chat", "too_many_choices",
                         n=MAX_CHOICES)
        calculation = self.expression(raw, name, "calculation")
        bounds = self.bounds(raw.get("parameters"), name) if kind == QuestionType.RANGE else None
        if kind == QuestionType.CALCULATE and calculation is None and "calculation" not in raw:
            self.problem(name, "calculation", "a calculate needs its calculation", "no_calculation")
        inputs: set[str] = set()
        for tree in (calculation, *inner):
            if tree is not None:
                inputs |= references(tree)
        self.questions.append(Question(
            name=name, type=kind, label=label, hint=self.labels(raw.get("hint"), self.position, name, "hint"),
            required=bool(raw.get("required")) and kind not in ("note", *UNASKED), choices=choices,
            relevant=relevant, constraint=self.expression(raw, name, "constraint"),
            constraint_message=self.labels(raw.get("constraint_message"), self.position, name, "constraint_message"),
            required_message=self.labels(raw.get("required_message"), self.position, name, "required_message"),
            calculation=calculation, choice_filter=choice_filter, conditions=inner, section=section, group=group,
            inputs=frozenset(inputs), bounds=bounds,
            default=str(raw["default"]) if raw.get("default") not in (None, "") else None,
            sensitive=topic is not None, topic=(topic or label) if topic is not None else {}, repeat=self.repeat,
            anchors=self.anchors(raw.get("anchors"), name, kind),
        ))

    def repeat_item(self, raw: Mapping[str, Any], name: str, label: Labels, conditions: tuple[Node, ...],
                    path: str, topic: Labels | None) -> None:
        """A repeat: its questions, each asked once per instance, then its own question ("add another?",
        or, with a repeat_count, the count that is never asked)."""
        if self.repeat:
            self.problem(name, "type", f"a repeat inside the repeat {self.repeat!r} is not supported; ask it in "
                                       "its own repeat after this one", "repeat_in_repeat", repeat=self.repeat)
            return
        count = self.expression(raw, name, "repeat_count")
        self.repeat = name
        before, found = len(self.questions), len(self.problems)
        self.items(raw.get("questions") or [], conditions, label, path, topic)
        if len(self.questions) == before and len(self.problems) == found:  # else those problems are the cause
            self.problem(name, "questions", "a repeat needs questions", "empty_repeat")
        inputs = set().union(*(references(tree) for tree in (count, *conditions) if tree is not None))
        self.questions.append(Question(
            name=name, type=QuestionType.REPEAT, label=label, hint={}, required=False, choices=(),
            relevant=None, constraint=None, constraint_message={},
            conditions=conditions, section=label, group=path, inputs=frozenset(inputs), repeat=name,
            repeat_count=count,
        ))
        self.repeat = ""

    def anchors(self, raw: Any, name: str, kind: str) -> tuple[Labels, Labels] | None:
        """A scale's `anchors`: {"low": labels of 1, "high": labels of 5}, both or none."""
        if raw is None or raw == {}:
            return None
        if kind != QuestionType.SCALE or not isinstance(raw, Mapping):
            self.problem(name, "anchors", "anchors are a scale's {low, high} labels (what 1 and 5 mean)", "bad_anchors")
            return None
        low, high = (self.labels(raw.get(end), self.position, name, "anchors") for end in ("low", "high"))
        if not low or not high:
            self.problem(name, "anchors", "a scale's anchors need both low (1) and high (5)", "bad_anchors")
            return None
        return low, high

    def bounds(self, raw: Any, name: str) -> tuple[float, float, float] | None:
        """A range's parameters (start=1 end=10 step=1 when not given), checked."""
        raw = raw if isinstance(raw, Mapping) else {}
        try:
            start, end, step = (float(raw.get(key, default)) for key, default in (("start", 1), ("end", 10),
                                                                                    ("step", 1)))
        except (TypeError, ValueError):
            self.problem(name, "parameters", "range parameters must be numbers: start=1 end=10 step=1",
                         "range_not_numbers")
            return None
        if step == 0 or (end - start) / step < 0 or (end - start) / step > 10_000:
            self.problem(name, "parameters", "the range's step must lead from start to end", "range_steps")
            return None
        return start, end, step

    def choices(self, raw: Any, where: str) -> tuple[Choice, ...]:
        choices: list[Choice] = []
        names: set[str] = set()
        for item in raw if isinstance(raw, list) else []:
            name = str(item.get("name") or "").strip() if isinstance(item, Mapping) else ""
            if not name or " " in name:
                self.problem(where, "choices", "every choice needs a name without spaces", "choice_no_name")
                continue
            if name in names and not self.duplicates:
                self.problem(where, "choices", f"choice {name!r} appears twice", "duplicate_choice", choice=name)
            names.add(name)
            extra = item.get("columns") or {}
            choices.append(Choice(name, self.labels(item.get("label"), self.position, where, "label")
                                  or {self.default: name},
                                  {str(k): str(v) for k, v in extra.items()} if isinstance(extra, Mapping) else {}))
        return tuple(choices)

    def check_references(self, questions: tuple[Question, ...]) -> None:
        """Every `${name}` must be a question of the form; a choice_filter's names must be choice columns."""
        known = {q.name for q in questions}
        if len(questions) >= STRIDE:
            self.problems.append(Problem(0, "", "questions", f"a form has at most {STRIDE - 1} questions",
                                         "too_many_questions", {"n": str(STRIDE - 1)}))
        before: dict[str, set[str]] = {}  # per repeat, the names asked before it
        for position, question in enumerate(questions, start=1):
            if question.repeat and question.repeat not in before:
                before[question.repeat] = {q.name for q in questions[:position - 1]}
            if question.repeat_count is not None and references(question.repeat_count) - before[question.repeat]:
                self.problems.append(Problem(position, question.name, "repeat_count",
                                             "repeat_count: it may only refer to questions asked before the repeat",
                                             "repeat_count_later"))
            trees = [*question.conditions, question.constraint, question.calculation, question.choice_filter,
                     question.repeat_count]
            unknown: set[str] = set()
            for tree in trees:
                if tree is not None:
                    unknown |= references(tree) - known
            for labels in (question.label, question.hint, question.constraint_message):
                for text in labels.values():
                    unknown |= set(_REFERENCE.findall(text)) - known
            if unknown:
                self.problems.append(Problem(position, question.name, "relevant",
                                             f"refers to {', '.join(sorted(unknown))}, which is not a question "
                                             "of the form", "unknown_reference", {"names": ", ".join(sorted(unknown))}))
            for tree, column in ((question.relevant, "relevant"), (question.constraint, "constraint"),
                                 (question.calculation, "calculation"), (question.repeat_count, "repeat_count")):
                if tree is not None and columns(tree):
                    wanted = sorted(columns(tree))[0]
                    self.problems.append(Problem(position, question.name, column, f"{column}: write "
                                                 f"${{{wanted}}} to refer to a question", "dollar_needed",
                                                 {"reference": wanted}))
            if question.choice_filter is not None:
                offered = {"name"} | {k for c in question.choices for k in c.columns}
                missing = columns(question.choice_filter) - offered
                if missing:
                    self.problems.append(Problem(position, question.name, "choice_filter",
                                                 f"choice_filter: the choices have no column "
                                                 f"{', '.join(sorted(missing))}", "filter_column_missing",
                                                 {"columns": ", ".join(sorted(missing))}))
