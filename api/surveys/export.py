"""Responses as CSV or Excel: one row per response, one column per question.

Laid out as KoBoToolbox exports are: a question inside groups is named by its path
(`group/question`, or just `question` with short names), a `select_multiple` question has
its own column (the chosen codes, space-separated) followed by one 0/1 column per choice
named `question/choice`, and a calculation is a column like any answer. Codes or labels
are selectable; times are in the barrio's time zone; the respondent is a per-survey
pseudonym. A survey with sensitive questions has a `sensitive_consent` column (yes, no, or
empty when they were not reached): a "no" leaves those questions empty, it is not an answer,
and counting the "no"s gives who declined. Both formats stream: CSV in chunks, Excel through
xlsxwriter's constant-memory mode into a temporary file.
"""

from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from api.surveys.models import Survey
from api.surveys.rows import ResponseRow, Window, responses
from api.surveys.store import view
from conversations.surveys.form import Form, Question


class Layout:
    """Columns of a survey's export and how one response fills them."""

    def __init__(self, form: Form, timezone: str, labels: bool, language: str | None, short: bool = False) -> None:
        self.form, self.labels, self.short = form, labels, short
        self.locale = language or form.default_language
        self.tz = ZoneInfo(timezone)
        self.header = ["respondent", "status", "started", "submitted"]
        self.consent = form.sensitive
        if self.consent:
            self.header.append("sensitive_consent")
        self.cells: list[Callable[[dict[str, Any]], Any]] = []
        for question in form.asked:
            if not question.repeat:  # a repeat's questions have their own table (api/surveys/repeats.py)
                self._columns(question)

    def _columns(self, question: Question) -> None:
        if self.labels:
            title = self.form.text(question.label, self.locale) or question.name
        else:
            title = f"{question.group}/{question.name}" if question.group and not self.short else question.name
        self.header.append(title)
        self.cells.append(lambda answers, q=question: self._value(q, answers.get(q.name)))
        if question.type != "select_multiple":
            return
        for choice in question.choices:
            shown = self.form.text(choice.label, self.locale) if self.labels else choice.name
            self.header.append(f"{title}/{shown}")
            self.cells.append(lambda answers, q=question, c=choice.name: _flag(answers.get(q.name), c))

    def _value(self, question: Question, value: Any) -> Any:
        if value is None:
            return ""
        if question.type in ("select_multiple", "rank"):  # codes space-separated, as KoBo exports them
            if self.labels:
                return ", ".join(question.choice_label(str(v), self.locale, self.form.default_language) for v in value)
            return " ".join(str(v) for v in value)
        if question.type == "select_one" and self.labels:
            return question.choice_label(str(value), self.locale, self.form.default_language)
        return value

    def row(self, response: ResponseRow) -> list[Any]:
        status = "completa" if response.completed_at is not None else "incompleta"
        cells = [response.respondent, status, self._time(response.started_at), self._time(response.completed_at)]
        if self.consent:
            cells.append({True: "yes", False: "no"}.get(response.consent, ""))  # type: ignore[arg-type]
        cells.extend(cell(response.answers) for cell in self.cells)
        return cells

    def _time(self, moment: datetime | None) -> str:
        return moment.astimezone(self.tz).strftime("%Y-%m-%d %H:%M:%S") if moment else ""


def _flag(value: Any, choice: str) -> Any:
    if value is None:
        return ""
    return 1 if choice in value else 0


def layout(survey: Survey, timezone: str, labels: bool, language: str | None, short: bool = False) -> Layout:
    return Layout(view(survey).form, timezone, labels, language, short)


def rows(engine: Engine, survey: Survey, layout: Layout, window: Window = Window()) -> Iterator[list[Any]]:
    """The export's rows, one per response started in `window`, read on the export's own connection."""
    for response in responses(engine, survey.id, survey.salt, window):  # type: ignore[arg-type]
        yield layout.row(response)
