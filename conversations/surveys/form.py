"""A survey definition as the chat and the exports use it, checked once when it is loaded.

The definition is plain JSON (what the API accepts and stores): questions in order, each
with a type, labels per language, `required`, and XLSForm `relevant` / `constraint`
expressions. `Form.load` rejects anything the chat could not ask, naming the question.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from conversations.surveys.expr import ExpressionError, Node, evaluate, parse, references


class QuestionType(StrEnum):
    SELECT_ONE = "select_one"
    SELECT_MULTIPLE = "select_multiple"
    TEXT = "text"
    INTEGER = "integer"
    DECIMAL = "decimal"
    DATE = "date"
    NOTE = "note"
    SCALE = "scale"  # 1 to 5


class SurveyKind(StrEnum):
    """What a survey is for in the programme: the diagnóstico, the entry and exit measurements, follow-up."""

    DIAGNOSTICO = "diagnostico"
    LINEA_BASE = "linea_base"
    LINEA_SALIDA = "linea_salida"
    SEGUIMIENTO = "seguimiento"


TYPES = tuple(QuestionType)
CHOICE_TYPES = (QuestionType.SELECT_ONE, QuestionType.SELECT_MULTIPLE)
SCALE = tuple(str(n) for n in range(1, 6))
Labels = Mapping[str, str]


class FormError(ValueError):
    """The definition is not usable; the message names the question and the problem."""


def pick(labels: Labels, locale: str, default: str) -> str:
    """The label in `locale`, else in the form's default language, else any."""
    return labels.get(locale) or labels.get(default) or next(iter(labels.values()), "")


@dataclass(frozen=True)
class Choice:
    name: str
    label: Labels


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

    @property
    def options(self) -> tuple[Choice, ...]:
        """The buttons: the choices, or 1..5 for a scale."""
        if self.type == "scale":
            return tuple(Choice(n, {}) for n in SCALE)
        return self.choices

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

    @classmethod
    def load(cls, definition: Mapping[str, Any]) -> "Form":
        default = str(definition.get("default_language") or "es")
        title = _labels(definition.get("title"), default, "title")
        if not title:
            raise FormError("title: the survey needs a title")
        questions: list[Question] = []
        seen: set[str] = set()
        for position, raw in enumerate(definition.get("questions") or [], start=1):
            question = _question(raw, position, default)
            if question.name in seen:
                raise FormError(f"question {position} ({question.name}): the name is used twice")
            for tree in (question.relevant, question.constraint):
                unknown = references(tree) - seen - {question.name} if tree else set()
                if unknown:
                    raise FormError(f"question {position} ({question.name}): refers to "
                                    f"{', '.join(sorted(unknown))}, which is not an earlier question")
            seen.add(question.name)
            questions.append(question)
        if not any(q.type != "note" for q in questions):
            raise FormError("questions: the survey has no question to answer")
        return cls(title=title, default_language=default, questions=tuple(questions))

    def text(self, labels: Labels, locale: str) -> str:
        return pick(labels, locale, self.default_language)

    def relevant(self, index: int, answers: Mapping[str, Any]) -> bool:
        tree = self.questions[index].relevant
        return tree is None or evaluate(tree, answers)

    @property
    def asked(self) -> tuple[Question, ...]:
        """Questions that take an answer (not notes): the export's columns."""
        return tuple(q for q in self.questions if q.type != "note")


def _labels(value: Any, default: str, where: str) -> dict[str, str]:
    if value is None or value == "":
        return {}
    if isinstance(value, str):
        return {default: value.strip()}
    if isinstance(value, Mapping):
        return {str(k): str(v).strip() for k, v in value.items() if v is not None and str(v).strip()}
    raise FormError(f"{where}: expected a text or a mapping of language to text")


def _question(raw: Any, position: int, default: str) -> Question:
    if not isinstance(raw, Mapping):
        raise FormError(f"question {position}: expected an object")
    name = str(raw.get("name") or "").strip()
    where = f"question {position} ({name or 'no name'})"
    if not name or not name.replace("_", "a").replace("-", "a").isalnum():
        raise FormError(f"{where}: the name must be letters, digits, '_' or '-'")
    kind = str(raw.get("type") or "")
    if kind not in TYPES:
        raise FormError(f"{where}: unsupported type {kind!r} (supported: {', '.join(TYPES)})")
    label = _labels(raw.get("label"), default, where)
    if not label:
        raise FormError(f"{where}: the question needs a label")
    choices = tuple(_choices(raw.get("choices") or [], where, default))
    if kind in CHOICE_TYPES and not choices:
        raise FormError(f"{where}: a {kind} question needs choices")
    if len(choices) > 40:
        raise FormError(f"{where}: at most 40 choices fit in the chat")
    return Question(
        name=name, type=kind, label=label, hint=_labels(raw.get("hint"), default, where),
        required=bool(raw.get("required")) and kind != "note", choices=choices,
        relevant=_expression(raw.get("relevant"), where, "relevant"),
        constraint=_expression(raw.get("constraint"), where, "constraint"),
        constraint_message=_labels(raw.get("constraint_message"), default, where),
    )


def _choices(raw: Any, where: str, default: str) -> list[Choice]:
    choices: list[Choice] = []
    names: set[str] = set()
    for item in raw:
        name = str(item.get("name") or "").strip() if isinstance(item, Mapping) else ""
        if not name or " " in name:
            raise FormError(f"{where}: every choice needs a name without spaces")
        if name in names:
            raise FormError(f"{where}: choice {name!r} appears twice")
        names.add(name)
        choices.append(Choice(name, _labels(item.get("label"), default, where) or {default: name}))
    return choices


def _expression(value: Any, where: str, field: str) -> Node | None:
    if value is None or not str(value).strip():
        return None
    try:
        return parse(str(value))
    except ExpressionError as error:
        raise FormError(f"{where}: {field}: {error}") from error
