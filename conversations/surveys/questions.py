"""The vocabulary of a survey definition: question types, choices, questions and places.

What `Form.load` (reading.py) turns a definition's items into, and what the chat, the
exports and the results speak of: a `Question` with its parsed expressions, its choices and
the groups and repeat around it; a `Place`, one question in one instance of its repeat (the
chat asks places, not questions); the key an answer is stored under ("edad#2").
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property

from conversations.surveys.expr import Node


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
    IMAGE = "image"  # a photo: the answer is the channel's reference, its bytes are copied apart; optional only
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
MAX_INSTANCES = 50  # of one repeat, whatever its repeat_count says
STRIDE = 10_000  # a place's number: the question's index + STRIDE x its instance (button data, chat state)
MAX_REPEATED_NAME = 60  # "name#50" must fit the 64 characters an answer's key may have
Labels = Mapping[str, str]
REFERENCE = re.compile(r"\$\{([A-Za-z_][\w.-]*)\}")


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


def split_key(key: str) -> tuple[str, int]:
    """An answer's key as (question name, instance): "edad#2" -> ("edad", 2), "barrio" -> ("barrio", 0)."""
    name, _, instance = key.partition("#")
    return name, int(instance) if instance.isdigit() else 0
