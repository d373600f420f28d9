"""The built-in instrument as an XLSForm workbook (survey, choices, settings) ejecutores download and adapt.

Labels and hints in Spanish, Haitian Creole and English (`label::Español (es)`...), scales
as `range` 1–5, yes/no as `select_one si_no`, and a `dimension` column on every row:
KoBoToolbox and ODK ignore a column they do not know, and the comparison uses it. The
note before each dimension's items says, in its hint, which dimension they measure.
Loaded back through POST /api/surveys/xlsform it gives the same questions as the JSON
definition (tests/api/test_comparison_instrument.py).
"""

import io
from typing import Any

import xlsxwriter

from api.comparison.instrument import YES_NO, definition

LANGUAGES = {"es": "Español (es)", "ht": "Kreyòl (ht)", "en": "English (en)"}
FORM_ID = "capacidades_barrio"


def _translated(row: dict[str, Any], column: str, labels: dict[str, str] | None) -> None:
    for code, name in LANGUAGES.items():
        row[f"{column}::{name}"] = (labels or {}).get(code, "")


def instrument_xlsform(version: str = "1") -> bytes:
    """The .xlsx, in memory (a few kilobytes)."""
    form = definition()
    survey: list[dict[str, Any]] = []
    for question in form["questions"]:
        row: dict[str, Any] = {"type": {"scale": "range", "select_one": "select_one si_no"}.get(
            question["type"], question["type"]), "name": question["name"]}
        _translated(row, "label", question["label"])
        _translated(row, "hint", question.get("hint"))
        row["required"] = "yes" if question.get("required") else ""
        row["parameters"] = "start=1 end=5 step=1" if question["type"] == "scale" else ""
        row["dimension"] = question.get("dimension", "")
        survey.append(row)
    choices = []
    for choice in YES_NO:
        row = {"list_name": "si_no", "name": choice["name"]}
        _translated(row, "label", choice["label"])
        choices.append(row)
    settings = [{"form_title": form["title"]["es"], "form_id": FORM_ID, "version": version,
                 "default_language": LANGUAGES["es"]}]
    return _workbook({"survey": survey, "choices": choices, "settings": settings})


def _workbook(sheets: dict[str, list[dict[str, Any]]]) -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    bold = workbook.add_format({"bold": True})
    for name, rows in sheets.items():
        sheet = workbook.add_worksheet(name)
        columns = list(dict.fromkeys(key for row in rows for key in row))
        sheet.write_row(0, 0, columns, bold)
        for number, row in enumerate(rows, start=1):
            sheet.write_row(number, 0, [row.get(column, "") for column in columns])
    workbook.close()
    return buffer.getvalue()
