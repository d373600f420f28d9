"""XLSForm (.xlsx with survey, choices and settings sheets) to our survey definition.

pyxform is the single source of truth: its own conversion (`workbook_to_json`, the survey
JSON from which it writes XForms) decides types, names, labels per language, choices and
settings, so whatever KoBoToolbox or ODK accept reads the same way here (upper-case
headers, `select one from`, `allow_choice_duplicates`...). This module only maps that JSON
onto what the chat can ask. Every problem found is reported at once as `XLSFormError.problems`,
each a code naming sheet, row and column as Excel shows them (api/surveys/xlsform_problems.py words
it in the staff's language), and nothing is imported.
Questions a chat cannot ask (a signature, a barcode...) are skipped with a warning when
they are optional, and are problems when they are required. A repeat keeps its
`repeat_count` as pyxform writes it: a reference to the `<repeat>_count` calculation it adds.

`select_one_from_file` / `select_multiple_from_file` read their choices from a CSV uploaded
beside the form under the name the form gives it (`comunas.csv`): a `name` column (or the
one `parameters: value=...` names), `label` or `label::Language (xx)` columns (or
`parameters: label=...`), and any other column for a choice_filter; `,` or `;` separated,
UTF-8 with or without a byte-order mark.
"""

import csv
import difflib
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from pyxform.errors import PyXFormError
from pyxform.question_type_dictionary import QUESTION_TYPE_DICT
from pyxform.xls2json import workbook_to_json
from pyxform.xls2json_backends import get_xlsform

from api.surveys.xlsform_problems import Problem, UploadProblems, expression_code, from_pyxform
from conversations.surveys.form import Form
from conversations.surveys.reading import FormError
from conversations.surveys.reading import Problem as FormProblem
from conversations.surveys.texts import other_choice, specify_other

SIMPLE_TYPES = {"text": "text", "string": "text", "integer": "integer", "int": "integer",
                "decimal": "decimal", "date": "date", "note": "note", "calculate": "calculate", "time": "time",
                "datetime": "datetime", "dateTime": "datetime", "acknowledge": "acknowledge", "trigger": "acknowledge",
                "geopoint": "geopoint", "start": "start", "end": "end", "today": "today"}
SELECT_TYPES = {"select one": "select_one", "select all that apply": "select_multiple", "rank": "rank"}
# Metadata KoBo/ODK add to most forms that mean nothing in a chat (start, end and today are
# recorded by the chat itself: see SIMPLE_TYPES).
METADATA = {"deviceid", "username", "simserial", "subscriberid",
            "phonenumber", "audit", "start-geopoint", "email", "background-audio", "instanceID"}
LANGUAGE_NAMES = {"español": "es", "espanol": "es", "spanish": "es", "english": "en", "inglés": "en",
                  "kreyòl": "ht", "kreyol": "ht", "haitian": "ht", "haitian creole": "ht", "créole": "ht"}
YES = {"yes", "true", "true()", "1", "si", "sí"}
NO = {"no", "false", "false()", "0", ""}
# Columns that take a language after two colons; one colon is a common slip pyxform ignores.
TRANSLATED = ("label", "hint", "constraint_message", "required_message", "media", "image", "audio", "video")
_ONE_COLON = re.compile(rf"^\s*({'|'.join(TRANSLATED)})\s*:(?!:)\s*(.+)$", re.IGNORECASE)
MAX_RETRIES = 25  # conversions tried to find every problem pyxform reports one at a time
SELECTS = ("select_one", "select_multiple", "rank", "select_one_from_file", "select_multiple_from_file")
# Types an XLSForm may hold: pyxform's, ours, and the ODK appearances people write as types. Any other is a slip.
KNOWN_TYPES = {*QUESTION_TYPE_DICT, *SIMPLE_TYPES, *SELECTS, "begin_group", "begin_repeat", "signature", "drawing",
               "annotate"}
# The column pyxform means when its message names none.
PYXFORM_COLUMNS = {"duplicate_name": "name", "invalid_name": "name", "reserved_name": "name", "no_name": "name",
                   "no_type": "type", "missing_list": "type", "unknown_type": "type", "file_extension": "type",
                   "unmatched_begin": "type", "unmatched_end": "type", "no_calculation": "calculation",
                   "range_parameter": "parameters", "or_other_filter": "choice_filter"}
# Our definition's keys, as the survey sheet's columns are headed.
DEFINITION_COLUMNS = {"choices": "type", "questions": "", "title": "form_title"}


class XLSFormError(ValueError):
    """The form cannot be imported; `problems` says sheet, row, column and what is wrong, all at once."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__(UploadProblems(self.problems))


@dataclass
class Imported:
    """The definition (our JSON) and what the ejecutor should know: questions skipped, columns ignored."""

    definition: dict[str, Any]
    warnings: list[Problem] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)  # question name -> its row on the survey sheet


def read_xlsform(content: bytes, files: Mapping[str, bytes] | None = None) -> Imported:
    """The survey definition (as the JSON API takes it) of an XLSForm workbook; `files` are the CSVs
    beside it, by file name, that `select_*_from_file` questions read their choices from."""
    try:
        workbook = get_xlsform(content, file_type=".xlsx")
    except (PyXFormError, ValueError, KeyError, OSError) as error:
        raise XLSFormError([Problem("", None, None, "unreadable_file")]) from error
    return _Importer(workbook, files or {}).run()


def _choice(name: str, labels: Mapping[str, str] | None, columns: Mapping[str, str]) -> dict[str, Any]:
    """A choice as our definition writes it: name, labels if any, other columns if any."""
    entry: dict[str, Any] = {"name": name}
    if labels:
        entry["label"] = dict(labels)
    if columns:
        entry["columns"] = dict(columns)
    return entry


def _with_choices(child: Mapping[str, Any], item: dict[str, Any], kind: str,
                  choices: list[dict[str, Any]]) -> dict[str, Any]:
    """The select `item` with its type, its choices and the row's choice_filter."""
    item.update(type=kind, choices=choices)
    if str(child.get("choice_filter") or "").strip():
        item["choice_filter"] = str(child["choice_filter"]).strip()
    return item


def _dialect(content: bytes) -> type[csv.Dialect]:
    """`,` or `;` between fields, as the first line shows (Excel set up for Chile saves with `;`)."""
    first = content.decode("utf-8-sig", errors="replace").split("\n", 1)[0]

    class Found(csv.excel):
        delimiter = ";" if first.count(";") > first.count(",") else ","

    return Found


def language_code(text: str) -> str:
    """"Español (es)" -> "es"; "English" -> "en"; a bare code stays as it is."""
    found = re.search(r"\(([A-Za-z]{2,3}(?:-[A-Za-z]+)?)\)\s*$", text)
    if found:
        return found.group(1).lower()
    name = text.strip().lower()
    return LANGUAGE_NAMES.get(name, name or "es")


class _Importer:
    def __init__(self, workbook: Any, files: Mapping[str, bytes]) -> None:
        self.workbook, self.files = workbook, files
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []
        self.rows: dict[str, int] = {}  # question name -> survey sheet row
        self.all_rows: dict[str, list[int]] = {}  # question name -> every survey sheet row that names it
        self.types: dict[str, str] = {}  # question name -> the type as written
        self.skipped: dict[str, str] = {}  # optional questions left out -> why
        self.default = "es"
        self.languages: set[str] = set()  # those the form's own labels are written in (not the labels we add)
        self.sheet_names = {str(name).lower(): str(name) for name in workbook.sheet_names or ()}
        if len(self.sheet_names) == 1:  # pyxform reads a workbook's only sheet as its survey, whatever its name
            self.sheet_names["survey"] = next(iter(self.sheet_names.values()))

    def run(self) -> Imported:
        self._index_rows()
        self._check_headers("survey", self.workbook.survey)
        self._check_headers("choices", self.workbook.choices)
        converted = self._convert()
        if converted is None:
            raise XLSFormError(self.problems)
        written = str(converted.get("default_language") or "default")
        self.default = "es" if written == "default" else language_code(written)
        definition: dict[str, Any] = {
            "title": self._title(converted),
            "default_language": self.default,
            "questions": self._items(converted.get("children") or []),
        }
        definition["languages"] = [self.default, *sorted(self.languages - {self.default})]
        if str(converted.get("allow_choice_duplicates") or "").strip().lower() in YES:
            definition["allow_choice_duplicates"] = True
        try:
            Form.load(definition)
        except FormError as error:
            for problem in error.problems:
                self._checked(problem)
        if self.problems:
            raise XLSFormError(self.problems)
        return Imported(definition, self.warnings, self.rows)

    def _convert(self) -> dict[str, Any] | None:
        """pyxform's survey JSON, or None with its problems recorded.

        pyxform stops at the first problem; to report them all, the row it names is set
        aside (a group keeps its begin/end) and the conversion is tried again. A reference
        to a question set aside this way is not reported: its real cause already is.
        """
        sheets = {"survey": [dict(row) for row in self.workbook.survey or []],
                  "choices": [dict(row) for row in self.workbook.choices or []]}
        removed: set[str] = set()
        for _ in range(MAX_RETRIES):
            workbook = replace(self.workbook, survey=[dict(r) for r in sheets["survey"]],
                               choices=[dict(r) for r in sheets["choices"]] or self.workbook.choices)
            try:
                return workbook_to_json(workbook, form_name="data", default_language="default", warnings=[])
            except PyXFormError as error:
                row_number, sheet, code, params = from_pyxform(str(error))
                sheet = sheet or ("survey" if row_number is not None else "")
                if not (code == "unknown_reference" and params.get("name") in removed):
                    self._add_pyxform(sheet, row_number, code, params)
                rows = sheets.get(sheet)
                if row_number is None or rows is None or not 2 <= row_number < len(rows) + 2:
                    return None
                row = rows[row_number - 2]
                lowered = {str(k).strip().lower(): v for k, v in row.items()}
                kind = str(lowered.get("type") or "").strip().lower()
                removed.add(str(lowered.get("name") or ""))
                kept = {k: v for k, v in row.items() if str(k).strip().lower() in ("type", "name")}
                if kind.startswith("begin") and not lowered.get("name"):  # keeps its end matched
                    kept["name"] = f"row_{row_number}"
                rows[row_number - 2] = kept if kind.startswith(("begin", "end")) and kept != row else {}
        return None

    def _title(self, converted: Mapping[str, Any]) -> str:
        """The settings' form_title, else form_id; pyxform's own fallback is its internal form name."""
        settings = {str(k).strip().lower(): v for k, v in ((self.workbook.settings or [{}])[0]).items()}
        if str(settings.get("form_title") or "").strip():
            return str(converted.get("title") or settings["form_title"]).strip()
        return str(settings.get("form_id") or "").strip() or "Encuesta"

    def _index_rows(self) -> None:
        for number, row in enumerate(self.workbook.survey or [], start=2):
            lowered = {str(k).strip().lower(): v for k, v in row.items()}
            name = str(lowered.get("name") or "").strip()
            self.all_rows.setdefault(name, []).append(number)
            if name and name not in self.rows:
                self.rows[name] = number
                self.types[name] = " ".join(str(lowered.get("type") or "").split())

    def _check_headers(self, sheet: str, rows: Sequence[Mapping[str, Any]] | None) -> None:
        """`label:English (en)` (one colon): pyxform takes it for an unknown column; say what it is."""
        for column in dict.fromkeys(key for row in rows or [] for key in row):
            found = _ONE_COLON.match(str(column))
            if found:
                fixed = f"{found.group(1)}::{found.group(2)}"
                self.problems.append(Problem(self._sheet(sheet), 1, str(column), "one_colon", {"fixed": fixed}))

    def _sheet(self, sheet: str) -> str:
        """A sheet's name as the workbook writes it ("Survey", "choices")."""
        return self.sheet_names.get(sheet, sheet)

    def _sheet_rows(self, sheet: str) -> Sequence[Mapping[str, Any]]:
        return {"survey": self.workbook.survey, "choices": self.workbook.choices,
                "settings": self.workbook.settings}.get(sheet) or ()

    def _header(self, sheet: str, column: str, row: int | None = None) -> str:
        """`column` ("label", "relevant") as the sheet heads it ("Label::Español (es)"): the header of that
        row's cell if it has one, else the first header that names it."""
        rows = self._sheet_rows(sheet)
        candidates = list(rows[row - 2]) if row is not None and 2 <= row < len(rows) + 2 else []
        candidates += [key for entry in rows for key in entry]
        wanted = column.lower()
        for key in dict.fromkeys(str(key) for key in candidates):
            written = key.strip().lower()
            if written == wanted or written.startswith((f"{wanted}::", f"{wanted}:")):
                return key
        return column

    def _cell(self, sheet: str, row: int | None, column: str) -> str:
        rows = self._sheet_rows(sheet)
        if row is None or not 2 <= row < len(rows) + 2:
            return ""
        values = {str(k).strip().lower(): v for k, v in rows[row - 2].items()}
        return str(values.get(column) or "").strip()

    def _add_pyxform(self, sheet: str, row: int | None, code: str, params: dict[str, str]) -> None:
        """pyxform's problem, located as Excel shows it, with the names of the row it is about."""
        if code == "no_choices_sheet" and self.problems and self.workbook.choices:
            return  # the choices sheet is there: rows set aside for earlier problems emptied it
        column = params.pop("column", None) or PYXFORM_COLUMNS.get(code)
        if sheet == "survey":
            params.setdefault("name", self._cell(sheet, row, "name"))
        if code == "invalid_name" or code == "duplicate_choice":
            params.setdefault("name" if code == "invalid_name" else "choice", self._cell(sheet, row, "name"))
        if code == "unknown_type":
            params.update(self._similar(params.get("type", "")))
        header = self._header(sheet, column, row) if column else None
        self._add(Problem(self._sheet(sheet), row, header, code, params,
                          "unknown_type_like" if params.get("similar") else ""))

    def _add(self, problem: Problem) -> None:
        """A problem, once (pyxform may report a row set aside again)."""
        if problem not in self.problems:
            self.problems.append(problem)

    def _checked(self, problem: FormProblem) -> None:
        """A problem our own reading of the definition found, located on the sheet."""
        row = self.rows.get(problem.name)
        if problem.code == "no_questions" and self.problems:
            return  # its questions were set aside for the problems already found
        sheet = "settings" if problem.column == "title" else "survey"
        if problem.code == "duplicate_name" and len(self.all_rows.get(problem.name, ())) > 1:
            row = self.all_rows[problem.name][1]  # the second row that uses the name
        column = DEFINITION_COLUMNS.get(problem.column, problem.column)
        params = {"name": problem.name, **problem.params}
        code, wording = problem.code, ""
        if code == "bad_expression":
            code, found = expression_code(params.pop("detail", ""))
            params.update(found)
        if code == "unknown_reference":
            for name in params.pop("names", "").split(", "):
                where = self._column_with(row, f"${{{name}}}") or column
                if self.types.get(name, "").lower().replace(" ", "_") in ("begin_group", "begin_repeat"):
                    self.problems.append(Problem(self._sheet(sheet), row, self._header(sheet, where, row),
                                                 "reference_to_group", {**params, "name": name}))
                elif name in self.skipped:
                    self.problems.append(Problem(self._sheet(sheet), row, self._header(sheet, where, row),
                                                 "refers_to_skipped", {**params, "skipped": name,
                                                                       "type": self.types.get(name, "")}))
                else:
                    self.problems.append(Problem(self._sheet(sheet), row, self._header(sheet, where, row), code,
                                                 {**params, "name": name}))
            return
        if code == "unknown_type":
            params.update(self._similar(params.get("type", "")))
            wording = "unknown_type_like" if params.get("similar") else ""
        header = self._header(sheet, column, row) if column else None
        self.problems.append(Problem(self._sheet(sheet), row, header, code, params, wording))

    def _column_with(self, row: int | None, text: str) -> str | None:
        """The survey sheet's column whose cell on `row` holds `text` (where a reference is written)."""
        rows = self._sheet_rows("survey")
        if row is None or not 2 <= row < len(rows) + 2:
            return None
        return next((str(key) for key, value in rows[row - 2].items() if text in str(value or "")), None)

    @staticmethod
    def _similar(kind: str) -> dict[str, str]:
        """The known type closest to a misspelt one ("interger" -> "integer"), if any is close."""
        close = difflib.get_close_matches(kind.split(" ")[0], sorted(KNOWN_TYPES), n=1, cutoff=0.75)
        return {"similar": close[0]} if close else {}

    def _labels(self, value: Any) -> dict[str, str] | None:
        if value is None or value == "":
            return None
        if isinstance(value, Mapping):
            labels = {self._code(str(k)): str(v).strip() for k, v in value.items() if str(v or "").strip()}
            self.languages.update(labels)
            return labels or None
        self.languages.add(self.default)
        return {self.default: str(value).strip()}

    def _code(self, key: str) -> str:
        return self.default if key == "default" else language_code(key)

    def _problem(self, name: str, column: str, code: str, /, **params: str) -> None:
        row = self.rows.get(name)
        wording = params.pop("wording", "")
        self.problems.append(Problem(self._sheet("survey"), row, self._header("survey", column, row), code,
                                     {"name": name, **params}, wording))

    def _warn(self, name: str, column: str, code: str, /, **params: str) -> None:
        row = self.rows.get(name)
        self.warnings.append(Problem(self._sheet("survey"), row, self._header("survey", column, row), code,
                                     {"name": name, **params}))

    def _items(self, children: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        skip_next: set[str] = set()
        for child in children:
            name, kind = str(child.get("name") or ""), str(child.get("type") or "")
            if kind in METADATA or name in skip_next or (kind == "group" and name == "meta"
                                                         and (child.get("control") or {}).get("bodyless")):
                continue
            item = self._item(child, name, kind)
            if item is None:
                continue
            items.append(item)
            if item.get("choices") and re.search(r"\bor_other$", self.types.get(name, "")):
                items.append(self._specify_other(item))
                skip_next.add(f"{name}_other")  # pyxform's own "Specify other." question
        return items

    def _item(self, child: Mapping[str, Any], name: str, kind: str) -> dict[str, Any] | None:
        bind = child.get("bind") or {}
        item: dict[str, Any] = {"name": name}
        for column, key in (("relevant", "relevant"), ("constraint", "constraint"), ("calculation", "calculate")):
            if str(bind.get(key) or "").strip():
                item[column] = str(bind[key]).strip()
        for column, value in (("label", child.get("label")), ("hint", child.get("hint")),
                              ("constraint_message", bind.get("jr:constraintMsg")),
                              ("required_message", bind.get("jr:requiredMsg"))):
            labels = self._labels(value)
            if labels:
                item[column] = labels
        if child.get("default") not in (None, ""):
            item["default"] = str(child["default"])
        if child.get("trigger"):
            self._warn(name, "trigger", "trigger_unused")
        required = str(bind.get("required") or "").strip().lower()
        if required not in YES | NO:
            self._problem(name, "required", "yes_or_no", value=required)
        item["required"] = required in YES
        sensitive = str(child.get("sensitive") or "").strip().lower()  # our own column; pyxform passes it on
        if sensitive not in YES | NO:
            self._problem(name, "sensitive", "yes_or_no", value=sensitive)
        if sensitive in YES:
            item["sensitive"] = True
        if kind in ("group", "repeat"):
            item.update(type=kind, questions=self._items(child.get("children") or []))
            count = str((child.get("control") or {}).get("jr:count") or "").strip()  # pyxform's ${<repeat>_count}
            if kind == "repeat" and count:
                item["repeat_count"] = count
            return item
        itemset = str(child.get("itemset") or "")
        if kind in SELECT_TYPES and itemset.endswith(".csv"):
            return self._from_file(child, item, SELECT_TYPES[kind], itemset)
        if kind in SELECT_TYPES and not re.search(r"\.(xml|geojson)$", itemset):
            return self._select(child, item, SELECT_TYPES[kind])
        if kind in SIMPLE_TYPES:
            item["type"] = SIMPLE_TYPES[kind]
            return item
        if kind == "photo" and not (child.get("control") or {}).get("appearance"):  # not a signature, a drawing
            item["type"] = "image"
            return item
        if kind == "range":
            parameters = {str(k): v for k, v in (child.get("parameters") or {}).items()}
            try:
                item["parameters"] = {key: float(parameters[key]) for key in ("start", "end", "step")
                                      if key in parameters}
            except ValueError:
                self._problem(name, "parameters", "range_not_numbers")
                return None
            item["type"] = "scale" if item["parameters"] == {"start": 1, "end": 5, "step": 1} else "range"
            if item["type"] == "scale":
                del item["parameters"]
                ends = {end: self._labels(child.get(f"anchor_{end}")) for end in ("low", "high")}
                if any(ends.values()):  # our own columns: what 1 and 5 mean ("nada", "mucho")
                    item["anchors"] = ends
            return item
        what = self.types.get(name) or kind
        if what.split(" ")[0] in SELECTS and kind not in SELECT_TYPES:  # pyxform did not read it as a select
            self._problem(name, "type", "bad_select", type=what)
        elif what.split(" ")[0] not in KNOWN_TYPES:
            similar = self._similar(what)
            self._problem(name, "type", "unknown_type", type=what, **similar,
                          wording="unknown_type_like" if similar else "")
        elif item["required"]:
            self._problem(name, "type", "cannot_ask", type=what)
        else:
            self.skipped[name] = what
            self._warn(name, "type", "skipped", type=what)
        return None

    def _select(self, child: Mapping[str, Any], item: dict[str, Any], kind: str) -> dict[str, Any]:
        name = item["name"]
        other = bool(re.search(r"\bor_other$", self.types.get(name, "")))
        choices = []
        for choice in child.get("choices") or []:
            if choice.get("name") == "other" and not other and not self._listed_other(child):
                continue  # pyxform adds "other" to a list shared with an or_other question
            code = str(choice.get("name") or "")
            labels = other_choice(self._languages(item)) if other and code == "other" else self._labels(
                choice.get("label"))
            choices.append(_choice(code, labels, {str(k): str(v) for k, v in choice.items()
                                                  if k not in ("name", "label", "media")}))
        return _with_choices(child, item, kind, choices)

    def _from_file(self, child: Mapping[str, Any], item: dict[str, Any], kind: str,
                   file_name: str) -> dict[str, Any] | None:
        """A select whose choices are the rows of the CSV uploaded beside the form."""
        name = item["name"]
        content = self.files.get(file_name)
        if content is None:
            self._problem(name, "type", "file_missing", file=file_name, uploaded=", ".join(sorted(self.files)),
                          wording="file_missing_uploaded" if self.files else "")
            return None
        parameters = {str(k): str(v) for k, v in (child.get("parameters") or {}).items()}
        code, label = parameters.get("value", "name"), parameters.get("label", "label")
        try:
            reader = csv.DictReader(io.StringIO(content.decode("utf-8-sig")), dialect=_dialect(content))
            rows = list(reader)
        except (UnicodeDecodeError, csv.Error) as error:
            self._problem(name, "type", "file_unreadable", file=file_name, detail=str(error))
            return None
        header = {str(column).strip(): column for column in reader.fieldnames or ()}
        if code not in header:
            self._problem(name, "type", "file_column", file=file_name, column=code, has=", ".join(header) or "-")
            return None
        labels = {column: self._code(found.group(1)) if (found := re.match(rf"{re.escape(label)}::(.+)$", column))
                  else self.default for column in header if column == label or column.startswith(f"{label}::")}
        choices = []
        for row in rows:
            texts = {language: str(row[header[column]] or "").strip() for column, language in labels.items()}
            choices.append(_choice(str(row[header[code]] or "").strip(),
                                   {language: text for language, text in texts.items() if text},
                                   {column: str(row[original] or "") for column, original in header.items()
                                    if column != code and column not in labels}))
        return _with_choices(child, item, kind, choices)

    def _listed_other(self, child: Mapping[str, Any]) -> bool:
        """Whether the choices sheet itself has an "other" in this question's list."""
        list_name = str(child.get("list_name") or child.get("itemset") or "")
        for row in self.workbook.choices or []:
            lowered = {str(k).strip().lower().replace(" ", "_"): v for k, v in row.items()}
            if str(lowered.get("list_name") or "").strip() == list_name and str(lowered.get("name")).strip() == "other":
                return True
        return False

    def _languages(self, item: Mapping[str, Any]) -> list[str]:
        return [self.default, *(item.get("label") or {})]

    def _specify_other(self, item: Mapping[str, Any]) -> dict[str, Any]:
        """The text question asked after "other", as pyxform's or_other adds it (in every language)."""
        name = item["name"]
        self.rows.setdefault(f"{name}_other", self.rows.get(name, 0))
        return {"name": f"{name}_other", "type": "text", "label": specify_other(self._languages(item)),
                "required": bool(item.get("required")), "relevant": f"selected(${{{name}}}, 'other')"}
