"""Reading a definition's items into flat questions, every problem found at once.

Groups are flattened (their `relevant` joins each question's `conditions`, their label
becomes the section heading), a repeat's questions are marked with its name and followed by
its own question; names, types, labels, choices, expressions and `${references}` are checked,
and each problem names the question (its position in reading order), the column and what to
change, so that one upload reports everything (`FormError.problems`).
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from conversations.surveys.expr import ExpressionError, Node, columns, parse, references
from conversations.surveys.questions import (
    CHOICE_TYPES,
    MAX_CHOICES,
    MAX_NESTING,
    MAX_REPEATED_NAME,
    REFERENCE,
    STRIDE,
    TYPES,
    UNASKED,
    Choice,
    Labels,
    Question,
    QuestionType,
)


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


def read(definition: Mapping[str, Any]) -> tuple[dict[str, str], str, tuple[Question, ...]]:
    """A definition's title, default language and flat questions; FormError listing every problem."""
    default = str(definition.get("default_language") or "es")
    reader = Reader(default, bool(definition.get("allow_choice_duplicates")))
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
    return title, default, questions


class Reader:
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
                    unknown |= set(REFERENCE.findall(text)) - known
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
