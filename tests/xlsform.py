"""Build XLSForm workbooks in memory (as KoBoToolbox would export them) for import tests.

`to_xlsform(DIAGNOSTICO)` is also the demo diagnóstico as an example XLSForm: write it to a
file with `python -m tests.xlsform diagnostico.xlsx`.
"""

import io
import sys
from typing import Any

import xlsxwriter

LANGUAGES = {"es": "Español (es)", "ht": "Kreyòl (ht)", "en": "English (en)"}


def _by_language(row: dict[str, Any], column: str, value: Any) -> None:
    if isinstance(value, dict):
        for code, text in value.items():
            row[f"{column}::{LANGUAGES.get(code, code)}"] = text
    elif value:
        row[column] = value


def to_xlsform(definition: dict[str, Any], extra_survey_rows: list[dict[str, Any]] | None = None) -> bytes:
    """The survey definition as an .xlsx with survey, choices and settings sheets."""
    survey: list[dict[str, Any]] = [{"type": "start", "name": "start"}]
    choices: list[dict[str, Any]] = []
    for question in definition["questions"]:
        kind = question["type"]
        row: dict[str, Any] = {"name": question["name"]}
        if kind in ("select_one", "select_multiple"):
            row["type"] = f"{kind} {question['name']}_list"
            for choice in question["choices"]:
                choice_row = {"list_name": f"{question['name']}_list", "name": choice["name"]}
                _by_language(choice_row, "label", choice["label"])
                choices.append(choice_row)
        elif kind == "scale":
            row.update(type="range", parameters="start=1 end=5 step=1")
        else:
            row["type"] = kind
        for column in ("label", "hint", "constraint_message"):
            _by_language(row, column, question.get(column))
        row["required"] = "yes" if question.get("required") else ""
        for column in ("relevant", "constraint"):
            if question.get(column):
                row[column] = question[column]
        survey.append(row)
    survey.extend(extra_survey_rows or [])
    title = definition["title"]
    settings = [{"form_title": title["es"] if isinstance(title, dict) else title,
                 "default_language": LANGUAGES.get(definition.get("default_language", "es"), "es")}]
    return _workbook({"survey": survey, "choices": choices, "settings": settings})


def _workbook(sheets: dict[str, list[dict[str, Any]]]) -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    for name, rows in sheets.items():
        sheet = workbook.add_worksheet(name)
        columns = list(dict.fromkeys(key for row in rows for key in row))
        sheet.write_row(0, 0, columns)
        for number, row in enumerate(rows, start=1):
            sheet.write_row(number, 0, [row.get(column, "") for column in columns])
    workbook.close()
    return buffer.getvalue()


if __name__ == "__main__":
    from api.surveys.demo import DIAGNOSTICO

    with open(sys.argv[1] if len(sys.argv) > 1 else "diagnostico.xlsx", "wb") as handle:
        handle.write(to_xlsform(DIAGNOSTICO))
