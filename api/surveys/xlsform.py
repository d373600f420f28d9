"""XLSForm (.xlsx with survey, choices and settings sheets) to our survey definition.

pyxform reads the workbook into rows (keeping row positions, so errors can name the
spreadsheet row); this module maps those rows onto the question types the chat can ask.
Anything it cannot map is an `XLSFormError` naming the sheet, the row and the problem,
and nothing is imported.
"""

import re
from typing import Any

from pyxform.errors import PyXFormError
from pyxform.xls2json_backends import get_xlsform

from conversations.surveys.expr import ExpressionError, parse
from conversations.surveys.form import Form, FormError

SIMPLE_TYPES = {"text": "text", "string": "text", "integer": "integer", "int": "integer",
                "decimal": "decimal", "date": "date", "note": "note"}
SELECT_TYPES = {"select_one": "select_one", "select one": "select_one",
                "select_multiple": "select_multiple", "select all that apply": "select_multiple"}
# Metadata rows KoBo/ODK add to most forms; the chat records its own times, so they are skipped.
METADATA = {"start", "end", "today", "deviceid", "username", "simserial", "subscriberid",
            "phonenumber", "audit", "start-geopoint"}
LANGUAGE_NAMES = {"español": "es", "espanol": "es", "spanish": "es", "english": "en", "inglés": "en",
                  "kreyòl": "ht", "kreyol": "ht", "haitian": "ht", "haitian creole": "ht", "créole": "ht"}
YES = {"yes", "true", "true()", "1", "si", "sí"}
NO = {"no", "false", "false()", "0", ""}


class XLSFormError(ValueError):
    """The form cannot be imported; the message says sheet, row and what is wrong."""


def read_xlsform(content: bytes) -> dict[str, Any]:
    """The survey definition (as the JSON API takes it) of an XLSForm workbook."""
    try:
        workbook = get_xlsform(content, file_type=".xlsx")
    except (PyXFormError, ValueError, KeyError, OSError) as error:
        raise XLSFormError(f"the file is not a readable .xlsx XLSForm: {error}") from error
    if not workbook.survey:
        raise XLSFormError("survey sheet: missing or empty")
    settings = (workbook.settings or [{}])[0]
    default = language_code(str(settings.get("default_language") or "es"))
    choices = _choice_lists(workbook.choices or [], default)
    questions = []
    for position, row in enumerate(workbook.survey, start=2):
        if row:
            question = _question(row, position, choices, default)
            if question is not None:
                questions.append(question)
    definition = {
        "title": settings.get("form_title") or settings.get("form_id") or "Encuesta",
        "default_language": default,
        "questions": questions,
    }
    try:
        Form.load(definition)
    except FormError as error:
        raise XLSFormError(f"survey sheet: {error}") from error
    return definition


def language_code(text: str) -> str:
    """"Español (es)" -> "es"; "English" -> "en"; a bare code stays as it is."""
    found = re.search(r"\(([A-Za-z]{2,3}(?:-[A-Za-z]+)?)\)\s*$", text)
    if found:
        return found.group(1).lower()
    name = text.strip().lower()
    return LANGUAGE_NAMES.get(name, name or "es")


def _labels(row: dict[str, Any], column: str, default: str) -> dict[str, str]:
    labels: dict[str, str] = {}
    for key, value in row.items():
        head, _, language = str(key).partition("::")
        if head.strip().lower() == column and value not in (None, ""):
            labels[language_code(language) if language else default] = str(value).strip()
    return labels


def _question(row: dict[str, Any], position: int, choices: dict[str, list[dict[str, Any]]],
              default: str) -> dict[str, Any] | None:
    where = f"survey sheet, row {position}"
    raw_type = " ".join(str(row.get("type") or "").split())
    name = str(row.get("name") or "").strip()
    head, _, rest = raw_type.partition(" ")
    if raw_type in METADATA:
        return None
    if not raw_type:
        raise XLSFormError(f"{where}: the type column is empty")
    if not name:
        raise XLSFormError(f"{where}: the name column is empty")
    question: dict[str, Any] = {"name": name}
    select = next((kind for prefix, kind in SELECT_TYPES.items() if raw_type.startswith(prefix + " ")), None)
    if select is not None:
        list_name = raw_type[len(next(p for p in SELECT_TYPES if raw_type.startswith(p + " "))):].strip()
        if " " in list_name or list_name == "or_other":
            raise XLSFormError(f"{where}: {raw_type!r}: 'or_other' and extra words are not supported")
        if list_name not in choices:
            raise XLSFormError(f"{where}: the choice list {list_name!r} is not in the choices sheet")
        question.update(type=select, choices=choices[list_name])
    elif raw_type in SIMPLE_TYPES:
        question["type"] = SIMPLE_TYPES[raw_type]
    elif raw_type == "range":
        if _range(str(row.get("parameters") or "")) != (1, 5, 1):
            raise XLSFormError(f"{where}: only a 1 to 5 range is supported (parameters: start=1 end=5 step=1)")
        question["type"] = "scale"
    else:
        what = f"{head} {rest}".strip()
        raise XLSFormError(f"{where} ({name}): the type {what!r} is not supported; use select_one, "
                           "select_multiple, text, integer, decimal, date, note or range 1-5")
    label = _labels(row, "label", default)
    if not label:
        raise XLSFormError(f"{where} ({name}): the question has no label")
    question["label"] = label
    question["hint"] = _labels(row, "hint", default) or None
    question["constraint_message"] = _labels(row, "constraint_message", default) or None
    required = str(row.get("required") or "").strip().lower()
    if required not in YES | NO:
        raise XLSFormError(f"{where} ({name}): required must be yes or no, not {required!r}")
    question["required"] = required in YES
    for column in ("relevant", "constraint"):
        expression = str(row.get(column) or "").strip()
        if expression:
            try:
                parse(expression)
            except ExpressionError as error:
                raise XLSFormError(f"{where} ({name}): {column}: {error}") from error
            question[column] = expression
    for column in ("calculation", "repeat_count", "choice_filter", "trigger"):
        if row.get(column):
            raise XLSFormError(f"{where} ({name}): the {column} column is not supported")
    return question


def _range(parameters: str) -> tuple[int, int, int] | None:
    values = dict(re.findall(r"(start|end|step)\s*=\s*(-?\d+)", parameters))
    try:
        return int(values.get("start", 1)), int(values.get("end", 10)), int(values.get("step", 1))
    except ValueError:
        return None


def _choice_lists(rows: list[dict[str, Any]], default: str) -> dict[str, list[dict[str, Any]]]:
    lists: dict[str, list[dict[str, Any]]] = {}
    for position, row in enumerate(rows, start=2):
        if not row:
            continue
        list_name = str(row.get("list_name") or row.get("list name") or "").strip()
        name = str(row.get("name") or "").strip()
        if not list_name or not name:
            raise XLSFormError(f"choices sheet, row {position}: list_name and name are both needed")
        if " " in name:
            raise XLSFormError(f"choices sheet, row {position}: the name {name!r} has a space")
        if any(c["name"] == name for c in lists.get(list_name, [])):
            raise XLSFormError(f"choices sheet, row {position}: {name!r} is already in list {list_name!r}")
        lists.setdefault(list_name, []).append({"name": name, "label": _labels(row, "label", default) or name})
    return lists
