"""A survey definition as the chat and the exports use it, checked once when it is loaded.

The definition is plain JSON (what the API accepts and stores, and what an XLSForm is
turned into): questions in order, each with a type, labels per language, `required`, and
XLSForm `relevant` / `constraint` / `calculation` / `choice_filter` expressions; a `group`
item holds questions of its own (its `relevant` applies to all of them, its label is the
section heading). `sensitive` marks a question, or a group and so all its questions, as
asking about something Ley 21.719 calls sensitive (income, health): the chat asks the
vecino's express consent before the first of them. `Form.load` flattens the groups and reports every problem it finds at
once (`FormError.problems`), each naming the question.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import tzinfo
from enum import StrEnum
from functools import cached_property
from typing import Any
from zoneinfo import ZoneInfo

from conversations.surveys.expr import (
    SANTIAGO,
    ExpressionError,
    Node,
    clocked,
    columns,
    evaluate,
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
Labels = Mapping[str, str]
_REFERENCE = re.compile(r"\$\{([A-Za-z_][\w.-]*)\}")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a definition: which question (position in reading order, name), which field."""

    position: int
    name: str
    column: str
    message: str

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

    @property
    def asked(self) -> bool:
        """Whether the chat asks it (a calculation or metadata is not asked; a note is shown)."""
        return self.type not in UNASKED

    def choice_label(self, code: str, locale: str, default: str) -> str:
        for choice in self.choices:
            if choice.name == code:
                return pick(choice.label, locale, default)
        return code


@dataclass(frozen=True)
class Form:
    title: Labels
    default_language: str
    questions: tuple[Question, ...]
    zone: tzinfo = SANTIAGO  # the barrio's: today() and now() are its date and time

    @classmethod
    def load(cls, definition: Mapping[str, Any], timezone: str | None = None) -> "Form":
        default = str(definition.get("default_language") or "es")
        reader = _Reader(default, bool(definition.get("allow_choice_duplicates")))
        title = reader.labels(definition.get("title"), 0, "", "title")
        if not title:
            reader.problems.append(Problem(0, "", "title", "the survey needs a title"))
        reader.items(definition.get("questions") or [], (), {}, "", None)
        questions = tuple(reader.questions)
        reader.check_references(questions)
        if not reader.problems and not any(q.asked and q.type != "note" for q in questions):
            reader.problems.append(Problem(0, "", "questions", "the survey has no question to answer"))
        if reader.problems:
            raise FormError(reader.problems)
        return cls(title=title, default_language=default, questions=questions,
                   zone=ZoneInfo(timezone) if timezone else SANTIAGO)

    def text(self, labels: Labels, locale: str) -> str:
        return pick(labels, locale, self.default_language)

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
        """Every language the form has labels in, its default first."""
        found = {self.default_language, *self.title}
        for question in self.questions:
            found.update(question.label, question.hint, *(choice.label for choice in question.choices))
        return (self.default_language, *sorted(found - {self.default_language}))

    def question(self, name: str) -> Question | None:
        return self._by_name.get(name)

    @cached_property
    def _by_name(self) -> dict[str, Question]:
        return {q.name: q for q in self.questions}

    def relevant(self, index: int, answers: Mapping[str, Any]) -> bool:
        """Whether the question applies: its relevant and its groups'."""
        return self.applies(answers)[index]

    def applies(self, answers: Mapping[str, Any]) -> tuple[bool, ...]:
        """Which questions apply to these answers.

        Questions that share their conditions (those of one group, without a relevant of
        their own) are decided once; from the last answers walked (one update asks several
        times, and each answer changes one value), only the conditions that read a changed
        value are decided again, and those that read the clock (today(), now()); a
        condition's result is also remembered by the values of the questions it reads.
        """
        last = self.__dict__.get("_last")
        if last is not None and last[0] == answers:
            return last[2]
        if last is None:
            decided = [self._decide(k, answers) for k in range(len(self._condition_sets))]
        else:
            previous, decided = last[0], list(last[1])
            changed = [name for name in previous.keys() | answers.keys() if previous.get(name) != answers.get(name)]
            for k in self._clocked_sets.union(*(self._sets_reading.get(name, ()) for name in changed)):
                decided[k] = self._decide(k, answers)
        vector = tuple(decided[k] for k in self._condition_set_of)
        self.__dict__["_last"] = (dict(answers), decided, vector)  # a cache, not state: the form stays frozen
        return vector

    def _decide(self, k: int, answers: Mapping[str, Any]) -> bool:
        """Whether every condition of condition set `k` holds."""
        return all(self._holds(tree, refs, answers) for tree, refs in self._condition_sets[k])

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
        """The condition sets that read the clock: decided on every walk."""
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
        """Each distinct set of conditions, with the names each reads (None: it reads the clock)."""
        return [tuple((tree, None if clocked(tree) else tuple(sorted(references(tree)))) for tree in conditions)
                for conditions in self._distinct_conditions]

    @cached_property
    def _distinct_conditions(self) -> list[tuple[Node, ...]]:
        """The questions' condition tuples, once each (the questions of a group share their trees)."""
        return list({tuple(map(id, q.conditions)): q.conditions for q in self.questions}.values())

    @cached_property
    def _condition_set_of(self) -> tuple[int, ...]:
        """Per question, the position of its conditions in `_condition_sets`."""
        position = {tuple(map(id, conditions)): n for n, conditions in enumerate(self._distinct_conditions)}
        return tuple(position[tuple(map(id, q.conditions))] for q in self.questions)

    @cached_property
    def answerable(self) -> tuple[int, ...]:
        """Indexes of the questions the chat asks (not calculations nor metadata), in order."""
        return tuple(i for i, q in enumerate(self.questions) if q.asked)

    @cached_property
    def filtered(self) -> tuple[int, ...]:
        """Indexes of the questions with a choice_filter."""
        return tuple(i for i, q in enumerate(self.questions) if q.choice_filter is not None)

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
        """New values of the calculations that depend on `changed` (or were never computed).

        Only calculations whose inputs changed are evaluated, in form order, so a change
        flows on through calculations that use other calculations.
        """
        current = dict(answers)
        changed = set(changed)
        updated: dict[str, Any] = {}
        for index, question in enumerate(self.questions):
            if question.calculation is None or (question.name in current and not question.inputs & changed):
                continue
            result = self.calculate(index, current)
            if question.name not in current or current[question.name] != result:
                current[question.name] = updated[question.name] = result
                changed.add(question.name)
        return updated

    def calculate(self, index: int, answers: Mapping[str, Any]) -> Any:
        """A calculation's value for these answers ('' → None; None when it does not apply)."""
        question = self.questions[index]
        if question.calculation is None or not self.relevant(index, answers):
            return None
        result = value(question.calculation, answers, choice_name=self._choice_name, zone=self.zone)
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
        """Questions that take an answer or a value (not notes): the export's columns."""
        return tuple(q for q in self.questions if q.type != "note")


class _Reader:
    """Reads a definition's items into flat questions, collecting every problem on the way."""

    def __init__(self, default: str, duplicates: bool) -> None:
        self.default, self.duplicates = default, duplicates
        self.questions: list[Question] = []
        self.problems: list[Problem] = []
        self.names: set[str] = set()
        self.position = 0

    def problem(self, name: str, column: str, message: str) -> None:
        self.problems.append(Problem(self.position, name, column, message))

    def labels(self, value: Any, position: int, name: str, column: str) -> dict[str, str]:
        if value is None or value == "":
            return {}
        if isinstance(value, str):
            return {self.default: value.strip()}
        if isinstance(value, Mapping):
            return {str(k): str(v).strip() for k, v in value.items() if v is not None and str(v).strip()}
        self.problems.append(Problem(position, name, column, f"{column}: expected a text or a mapping of "
                                                             "language to text"))
        return {}

    def expression(self, raw: Mapping[str, Any], name: str, column: str) -> Node | None:
        text = raw.get(column)
        if text is None or not str(text).strip():
            return None
        try:
            return parse(str(text))
        except ExpressionError as error:
            self.problem(name, column, f"{column}: {error}")
            return None

    def items(self, raw_items: Any, conditions: tuple[Node, ...], section: Labels, group: str,
              topic: Labels | None) -> None:
        if not isinstance(raw_items, list):
            self.problem("", "questions", "questions: expected a list")
            return
        for raw in raw_items:
            self.position += 1
            if not isinstance(raw, Mapping):
                self.problem("", "", "expected an object")
                continue
            self.item(raw, conditions, section, group, topic)

    def item(self, raw: Mapping[str, Any], conditions: tuple[Node, ...], section: Labels, group: str,
             topic: Labels | None) -> None:
        """One item; `topic` is set inside a sensitive group (its label, what the consent names)."""
        name = str(raw.get("name") or "").strip()
        if not name or not name.replace("_", "a").replace("-", "a").replace(".", "a").isalnum():
            self.problem(name, "name", "the name must be letters, digits, '_', '-' or '.'")
        elif name in self.names:
            self.problem(name, "name", "the name is used twice")
        self.names.add(name)
        kind = str(raw.get("type") or "")
        if kind not in TYPES:
            self.problem(name, "type", f"unsupported type {kind!r} (supported: {', '.join(TYPES)})")
            return
        relevant = self.expression(raw, name, "relevant")
        label = self.labels(raw.get("label"), self.position, name, "label")
        inner = (*conditions, relevant) if relevant is not None else conditions
        if topic is None and raw.get("sensitive"):
            topic = label
        if kind == QuestionType.GROUP:
            if group.count("/") + 1 >= MAX_NESTING:
                self.problem(name, "type", f"groups nest more than {MAX_NESTING} deep")
                return
            path = f"{group}/{name}" if group else name
            self.items(raw.get("questions") or [], inner, label or section, path, topic)
            return
        if not label and kind not in UNASKED:
            self.problem(name, "label", "the question needs a label")
        if kind == QuestionType.IMAGE and raw.get("required"):
            self.problem(name, "required", "a photo cannot be required in the chat (not every vecino can send "
                                           "one); make it optional")
        listed = kind in (*CHOICE_TYPES, QuestionType.RANK)
        choices = self.choices(raw.get("choices") or [], name) if listed else ()
        if listed and not choices and not any(p.name == name for p in self.problems):
            self.problem(name, "choices", f"a {kind} question needs choices")
        choice_filter = self.expression(raw, name, "choice_filter")
        if len(choices) > MAX_CHOICES and choice_filter is None:
            self.problem(name, "choices", f"at most {MAX_CHOICES} choices fit in the chat")
        calculation = self.expression(raw, name, "calculation")
        bounds = self.bounds(raw.get("parameters"), name) if kind == QuestionType.RANGE else None
        if kind == QuestionType.CALCULATE and calculation is None and "calculation" not in raw:
            self.problem(name, "calculation", "a calculate needs its calculation")
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
            sensitive=topic is not None, topic=(topic or label) if topic is not None else {},
        ))

    def bounds(self, raw: Any, name: str) -> tuple[float, float, float] | None:
        """A range's parameters (start=1 end=10 step=1 when not given), checked."""
        raw = raw if isinstance(raw, Mapping) else {}
        try:
            start, end, step = (float(raw.get(key, default)) for key, default in (("start", 1), ("end", 10),
                                                                                    ("step", 1)))
        except (TypeError, ValueError):
            self.problem(name, "parameters", "range parameters must be numbers: start=1 end=10 step=1")
            return None
        if step == 0 or (end - start) / step < 0 or (end - start) / step > 10_000:
            self.problem(name, "parameters", "the range's step must lead from start to end")
            return None
        return start, end, step

    def choices(self, raw: Any, where: str) -> tuple[Choice, ...]:
        choices: list[Choice] = []
        names: set[str] = set()
        for item in raw if isinstance(raw, list) else []:
            name = str(item.get("name") or "").strip() if isinstance(item, Mapping) else ""
            if not name or " " in name:
                self.problem(where, "choices", "every choice needs a name without spaces")
                continue
            if name in names and not self.duplicates:
                self.problem(where, "choices", f"choice {name!r} appears twice")
            names.add(name)
            extra = item.get("columns") or {}
            choices.append(Choice(name, self.labels(item.get("label"), self.position, where, "label")
                                  or {self.default: name},
                                  {str(k): str(v) for k, v in extra.items()} if isinstance(extra, Mapping) else {}))
        return tuple(choices)

    def check_references(self, questions: tuple[Question, ...]) -> None:
        """Every `${name}` must be a question of the form; a choice_filter's names must be choice columns."""
        known = {q.name for q in questions}
        for position, question in enumerate(questions, start=1):
            trees = [*question.conditions, question.constraint, question.calculation, question.choice_filter]
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
                                             "of the form"))
            for tree, column in ((question.relevant, "relevant"), (question.constraint, "constraint"),
                                 (question.calculation, "calculation")):
                if tree is not None and columns(tree):
                    self.problems.append(Problem(position, question.name, column, f"{column}: write "
                                                 f"${{{sorted(columns(tree))[0]}}} to refer to a question"))
            if question.choice_filter is not None:
                offered = {"name"} | {k for c in question.choices for k in c.columns}
                missing = columns(question.choice_filter) - offered
                if missing:
                    self.problems.append(Problem(position, question.name, "choice_filter",
                                                 f"choice_filter: the choices have no column "
                                                 f"{', '.join(sorted(missing))}"))
