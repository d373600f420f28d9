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
problem it finds at once (`FormError.problems`, reading.py).

The form itself is frozen; what it derives from a vecina's answers lives in
evaluation.py (which places apply, stale answers, repeat counts), conditions.py and
calculations.py, worked out once per form and per version of the answers.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import tzinfo
from functools import cached_property
from typing import Any
from zoneinfo import ZoneInfo

from conversations.surveys.answers import Answers
from conversations.surveys.calculations import Calculations
from conversations.surveys.conditions import Conditions
from conversations.surveys.evaluation import Evaluation, Evaluations
from conversations.surveys.expr import SANTIAGO, evaluate
from conversations.surveys.places import Layout
from conversations.surveys.questions import (
    CHOICE_TYPES,
    REFERENCE,
    Choice,
    Labels,
    Place,
    Question,
    QuestionType,
    pick,
)
from conversations.surveys.reading import read


@dataclass(frozen=True)
class Form:
    title: Labels
    default_language: str
    questions: tuple[Question, ...]
    zone: tzinfo = SANTIAGO  # the barrio's: today() and now() are its date and time
    declared: tuple[str, ...] = ()  # the languages it says it is written in (an XLSForm's own labels)

    @classmethod
    def load(cls, definition: Mapping[str, Any], timezone: str | None = None) -> "Form":
        title, default, questions = read(definition)
        return cls(title=title, default_language=default, questions=questions,
                   zone=ZoneInfo(timezone) if timezone else SANTIAGO,
                   declared=tuple(str(code) for code in definition.get("languages") or ()))

    # --- texts -------------------------------------------------------------------------

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
        return REFERENCE.sub(lambda match: self.show(match.group(1), answers.get(match.group(1)), locale), text)

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

    def choice_name(self, code: str, question: str) -> str:
        """jr:choice-name(): a choice's label in the form's default language."""
        found = self.question(question)
        return found.choice_label(code, self.default_language, self.default_language) if found else code

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

    def topics(self, locale: str) -> list[str]:
        """What the sensitive questions ask about (a marked group's label, else the question's), once each."""
        named = (self.text(q.topic, locale) for q in self.questions if q.sensitive and q.asked)
        return list(dict.fromkeys(topic for topic in named if topic))

    # --- the questions -----------------------------------------------------------------

    def question(self, name: str) -> Question | None:
        return self._by_name.get(name)

    def index_of(self, name: str) -> int:
        return self._index[name]

    @cached_property
    def _by_name(self) -> dict[str, Question]:
        return {q.name: q for q in self.questions}

    @cached_property
    def _index(self) -> dict[str, int]:
        return {q.name: index for index, q in enumerate(self.questions)}

    @cached_property
    def sensitive(self) -> bool:
        """Whether any question needs the vecino's consent."""
        return any(q.sensitive and q.asked for q in self.questions)

    @cached_property
    def calculated(self) -> bool:
        """Whether any question is a calculation (else nothing needs recalculating)."""
        return any(q.calculation is not None for q in self.questions)

    @property
    def asked(self) -> tuple[Question, ...]:
        """Questions that take an answer or a value (not notes, nor a repeat's "add another?"): the export's columns."""
        return tuple(q for q in self.questions if q.type not in (QuestionType.NOTE, QuestionType.REPEAT))

    @cached_property
    def answerable(self) -> tuple[int, ...]:
        """Indexes of the questions the chat asks (not calculations nor metadata), in order."""
        return tuple(i for i, q in enumerate(self.questions) if q.asked)

    @cached_property
    def stamped(self) -> tuple[int, ...]:
        """Indexes of the metadata the chat records itself (start, end, today)."""
        return tuple(i for i, q in enumerate(self.questions)
                     if q.type in (QuestionType.START, QuestionType.END, QuestionType.TODAY))

    @property
    def filtered(self) -> tuple[int, ...]:
        """Indexes of the questions with a choice_filter."""
        return self.layout.filtered

    # --- places ------------------------------------------------------------------------

    @cached_property
    def layout(self) -> Layout:
        return Layout(self.questions)

    def repeat_of(self, name: str) -> str:
        """The repeat a question is asked in ("" outside repeats; a repeat's own name for itself)."""
        return self.layout.repeat_of.get(name, "")

    @property
    def repeats(self) -> dict[str, tuple[int, int]]:
        """Each repeat's block of questions: the index of its first one and of its own ("add another?", last)."""
        return self.layout.repeats

    def key(self, place: Place) -> str:
        """Where the answer at `place` is stored: the name, or "name#instance" inside a repeat."""
        return self.layout.key(place)

    def order(self, place: Place) -> tuple[int, int, int]:
        """Sorts places in the order they are asked: a repeat's block instance by instance."""
        return self.layout.order(place)

    # --- what the answers make of it (evaluation.py) -----------------------------------

    @cached_property
    def conditions(self) -> Conditions:
        return Conditions(self.questions, self.layout.repeat_of, self.zone)

    @cached_property
    def block_reads(self) -> dict[str, frozenset[str] | None]:
        return self.layout.block_reads(self.conditions)

    @cached_property
    def timeless(self) -> bool:
        """Whether nothing that decides which places apply reads the clock (or other instances): then the same
        answers always make the same evaluation."""
        return not self.conditions.clocked and None not in self.block_reads.values()

    @cached_property
    def calculations(self) -> Calculations:
        return Calculations(self)

    @cached_property
    def evaluations(self) -> Evaluations:
        return Evaluations(self)

    def evaluation(self, answers: Mapping[str, Any]) -> Evaluation:
        """What these answers make of the form, derived from the version they came from."""
        return self.evaluations.of(answers)

    def reference(self, answers: Mapping[str, Any]) -> Evaluation:
        """The same, worked out again from the answers alone with nothing remembered (a check for tests)."""
        return Evaluation(self, Answers(answers), remember=False)

    def seen(self, answers: Mapping[str, Any], place: Place) -> Mapping[str, Any]:
        """The answers as expressions at `place` read them (the answers themselves in a form without repeats)."""
        if not self.layout.repeats:
            return answers
        return self.evaluation(answers).seen(place)

    def instances(self, answers: Mapping[str, Any], repeat: str) -> int:
        """How many instances a repeat has now (see `Evaluation.instances`)."""
        return self.evaluation(answers).instances(repeat)

    def walk(self, answers: Mapping[str, Any]) -> tuple[tuple[Place, bool], ...]:
        """Every place of the form for these answers, in the order asked, with whether it applies.

        A repeat's questions come once per instance, read in that instance; a counted repeat's
        own question is not a place (nothing asks it).
        """
        return self.evaluation(answers).walk

    def holding(self, answers: Mapping[str, Any]) -> tuple[Place, ...]:
        """The places the chat asks (questions, notes, "add another?") that apply to these answers, in order."""
        return self.evaluation(answers).holding

    def listed(self, answers: Mapping[str, Any]) -> tuple[Place, ...]:
        """The places that apply and take an answer (not notes): what the review lists and progress counts."""
        return self.evaluation(answers).listed

    def stale(self, answers: Mapping[str, Any]) -> list[str]:
        """Keys of stored answers that no longer stand: a question that does not apply now, or an instance gone."""
        return list(self.evaluation(answers).stale)

    def applies(self, answers: Mapping[str, Any]) -> tuple[bool, ...]:
        """Which questions apply to these answers, read outside repeats (a repeated question is its first
        instance; see `walk` for every instance)."""
        return self.evaluation(answers).vector

    def relevant(self, place: Place | int, answers: Mapping[str, Any]) -> bool:
        """Whether the question applies at `place` (an index: outside repeats): its relevant and its groups'."""
        place = Place(place) if isinstance(place, int) else place
        return self.evaluation(answers).applies_at(place)

    def options(self, index: int, answers: Mapping[str, Any]) -> tuple[Choice, ...]:
        """The choices offered now: those the question's choice_filter keeps for these answers."""
        question = self.questions[index]
        if question.choice_filter is None:
            return question.options
        tree = question.choice_filter
        return tuple(c for c in question.choices
                     if evaluate(tree, answers, row={"name": c.name, **c.columns}, zone=self.zone))

    def accepts(self, index: int, answers: Mapping[str, Any], answer: Any) -> bool:
        """Whether an answer meets its question's constraint (`.` is the answer)."""
        constraint = self.questions[index].constraint
        return constraint is None or evaluate(constraint, answers, answer, zone=self.zone)

    def recalculate(self, answers: Mapping[str, Any], changed: set[str]) -> dict[str, Any]:
        """New values of the calculations that depend on `changed` keys (or were never computed)."""
        return self.calculations.recalculate(answers, changed)

    def calculate(self, place: Place, answers: Mapping[str, Any]) -> Any:
        """A calculation's value at `place` for these answers ('' → None; None when it does not apply)."""
        return self.calculations.calculate(place, answers)
