"""A survey's repeats exported as KoBoToolbox lays them out: one table per repeat, one row per instance.

The XLSX gets a sheet per repeat after the responses' sheet; the CSV of one repeat is
`responses.csv?repeat=<name>`, and `responses.zip` holds the responses' CSV and each repeat's.
Columns: `_index` (the instance's row in this table, from 1), `_parent_index` (the response's
row in the responses' table, from 1: that table's `_index` column), `respondent` (the
response's pseudonym, as in the responses' table), `_instance` (its number within the
response: "Persona 2"), then the repeat's questions named and filled as in the responses'
table. An instance with no answer stored (the vecino stopped before it) has no row.
"""

from collections.abc import Iterator
from typing import Any

from sqlalchemy import Engine

from api.kernel.errors import Invalid
from api.kernel.exports import Sheet
from api.surveys.export import MAIN_SHEET, Layout, rows
from api.surveys.models import Survey
from api.surveys.photos import photo_path
from api.surveys.rows import Window, responses


class RepeatLayout(Layout):
    """Columns of one repeat's table, and how one instance fills them."""

    def __init__(self, main: Layout, repeat: str) -> None:  # the main table's settings, its own columns
        self.form, self.labels, self.short, self.survey_id = main.form, main.labels, main.short, main.survey_id
        self.locale, self.tz, self.t = main.locale, main.tz, main.t
        self.repeat = repeat
        self.header = ["_index", "_parent_index", "respondent", "_instance"]
        self.variables, self.photos, self.cells = [], [], []
        self.names = [q.name for q in main.form.asked if q.repeat == repeat]
        for question in main.form.asked:
            if question.repeat == repeat:
                self._columns(question)

    def instances(self, parent: int, respondent: str, answers: dict[str, Any], first: int) -> Iterator[list[Any]]:
        """The rows of one response's instances; `first` is the `_index` of the first of them."""
        index = first
        for instance in range(1, self.form.instances(answers, self.repeat) + 1):
            own = {name: answers[f"{name}#{instance}"] for name in self.names if f"{name}#{instance}" in answers}
            if not own:
                continue
            row = [index, parent, respondent, instance, *(cell(own) for cell in self.cells)]
            for column, question in self.photos:  # the photo's download, not Telegram's reference
                row[column] = photo_path(self.survey_id, respondent, f"{question}#{instance}") if row[column] else ""
            yield row
            index += 1


def repeat_layout(main: Layout, repeat: str) -> RepeatLayout:
    """The table of `repeat`; Invalid naming the survey's repeats when it has none of that name."""
    if repeat not in main.form.repeats:
        known = ", ".join(main.form.repeats) or "none"
        raise Invalid(f"the survey has no repeat {repeat!r} (its repeats: {known})")
    return RepeatLayout(main, repeat)


def repeat_rows(engine: Engine, survey: Survey, layout: RepeatLayout,
                window: Window = Window()) -> Iterator[list[Any]]:
    """One row per instance of the repeat, responses (started in `window`) in the order of the responses' table."""
    index = 1
    for parent, response in enumerate(responses(engine, survey.id, survey.salt, window), start=1):  # type: ignore[arg-type]
        for row in layout.instances(parent, response.respondent, response.answers, index):
            yield row
            index += 1


def repeat_tables(engine: Engine, survey: Survey, main: Layout, window: Window = Window()) -> dict[str, Sheet]:
    """Each repeat's table (named after the repeat), in the form's order."""
    tables: dict[str, Sheet] = {}
    for repeat in main.form.repeats:
        layout = RepeatLayout(main, repeat)
        tables[repeat] = Sheet(repeat, layout.header, repeat_rows(engine, survey, layout, window))
    return tables


def repeat_sheets(engine: Engine, survey: Survey, main: Layout, window: Window = Window()) -> list[Sheet]:
    """A sheet per repeat, named after it (kept apart from the responses' sheet)."""
    sheets: list[Sheet] = []
    for repeat, table in repeat_tables(engine, survey, main, window).items():
        name = repeat[:31] if repeat[:31] not in (MAIN_SHEET, "info", "variables") else f"{repeat[:29]}_r"
        sheets.append(Sheet(name, table.header, table.rows))
    return sheets


def survey_tables(engine: Engine, survey: Survey, main: Layout, window: Window = Window()) -> list[Sheet]:
    """The responses' table and each repeat's, named as the CSV files of `responses.zip`."""
    tables = [Sheet(f"survey-{survey.id}.csv", main.header, rows(engine, survey, main, window))]
    for repeat, table in repeat_tables(engine, survey, main, window).items():
        tables.append(Sheet(f"survey-{survey.id}-{repeat}.csv", table.header, table.rows))
    return tables
