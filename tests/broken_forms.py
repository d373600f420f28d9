"""Broken XLSForms as ejecutores write them, each with the problem it must be reported as.

Shared by the API's and the console's tests of upload errors: a form, then (code, sheet, row, column) as
Excel shows them, and a piece of the message in Spanish and in English.
"""

from dataclasses import dataclass
from typing import Any

from tests.factories import xlsform_workbook

YES_NO = [{"list_name": "sn", "name": "si", "label": "Sí"}, {"list_name": "sn", "name": "no", "label": "No"}]


@dataclass(frozen=True)
class Broken:
    why: str
    workbook: bytes
    where: tuple[str, str, int | None, str | None]  # code, sheet, row, column
    es: str
    en: str


def form(*survey: dict[str, Any], choices: list[dict[str, Any]] | None = None, survey_sheet: str = "survey") -> bytes:
    return xlsform_workbook({survey_sheet: list(survey), "choices": YES_NO if choices is None else choices})


def _text(name: str, **more: str) -> dict[str, Any]:
    return {"type": "text", "name": name, "label": name.upper(), **more}


BROKEN = [
    Broken("a misspelt type", form({"type": "interger", "name": "edad", "label": "Edad"}),
           ("unknown_type", "survey", 2, "type"), "¿Quiso escribir «integer»?", "Did you mean «integer»?"),
    Broken("a name used twice", form(_text("a"), _text("a")),
           ("duplicate_name", "survey", 3, "name"), "El nombre «a» ya se usó en otra fila",
           "The name «a» is already used on another row"),
    Broken("a name used twice, once inside a group",
           form({"type": "begin_group", "name": "g", "label": "G"}, _text("a"), {"type": "end_group"}, _text("a")),
           ("duplicate_name", "survey", 5, "name"), "El nombre «a» ya se usó", "The name «a» is already used"),
    Broken("a list the choices sheet lacks", form({"type": "select_one nolist", "name": "q", "label": "Q"}),
           ("missing_list", "survey", 2, "type"), "La lista «nolist» no está en la hoja «choices»",
           "The list «nolist» is not on the «choices» sheet"),
    Broken("a reference to no question, in a label with its language",
           form({"type": "text", "name": "a", "label::Español (es)": "Hola ${apodo}"}),
           ("unknown_reference", "survey", 2, "label::Español (es)"), "${apodo} no es ninguna pregunta",
           "${apodo} is not a question of the form"),
    Broken("a reference to a group", form({"type": "begin_group", "name": "g", "label": "G"},
                                          _text("a", relevant="${g} = 1"), {"type": "end_group"}),
           ("reference_to_group", "survey", 3, "relevant"), "${g} es un grupo, no una pregunta",
           "${g} is a group, not a question"),
    Broken("a group never ended", form({"type": "begin_group", "name": "datos", "label": "D"}, _text("a")),
           ("unmatched_begin", "survey", 2, "type"), "Este begin_group («datos») no tiene su end_group",
           "This begin_group («datos») has no end_group"),
    Broken("a repeat ended twice", form({"type": "begin_repeat", "name": "r", "label": "R"}, _text("a"),
                                        {"type": "end_repeat"}, {"type": "end_repeat"}),
           ("unmatched_end", "survey", 5, "type"), "Este end_repeat no cierra ningún begin_repeat",
           "This end_repeat closes no begin_repeat"),
    Broken("a name with a space", form(_text("mi nombre")), ("invalid_name", "survey", 2, "name"),
           "El nombre «mi nombre» no sirve", "The name «mi nombre» cannot be used"),
    Broken("a choice twice in its list", form({"type": "select_one sn", "name": "q", "label": "Q"},
                                              choices=[*YES_NO, {"list_name": "sn", "name": "si", "label": "Sí 2"}]),
           ("duplicate_choice", "choices", 4, "name"), "allow_choice_duplicates = yes",
           "allow_choice_duplicates = yes"),
    Broken("a choice without a name", form({"type": "select_one sn", "name": "q", "label": "Q"},
                                           choices=[*YES_NO, {"list_name": "sn", "label": "Tal vez"}]),
           ("choice_no_name", "choices", 4, "name"), "Esta opción no tiene nombre", "This choice has no name"),
    Broken("a select without its list", form({"type": "select_one", "name": "q", "label": "Q"}),
           ("bad_select", "survey", 2, "type"), "«select_one» no se entiende", "«select_one» cannot be understood"),
    Broken("a constraint that does not parse", form({"type": "integer", "name": "n", "label": "N",
                                                     "constraint": ". > > 1"}),
           ("expression_unexpected", "survey", 2, "constraint"), "tiene algo que sobra o falta cerca de «>»",
           "has something extra or missing near «>»"),
    Broken("a function the chat does not know", form(_text("a", relevant="foo(${a})")),
           ("expression_function", "survey", 2, "relevant"), "usa foo(), que el chat no conoce",
           "uses foo(), which the chat does not know"),
    Broken("a calculate without its calculation", form({"type": "calculate", "name": "total"}),
           ("no_calculation", "survey", 2, "calculation"), "El cálculo «total» no tiene fórmula",
           "The calculation «total» has no formula"),
    Broken("required neither yes nor no", form(_text("a", required="quizás")),
           ("yes_or_no", "survey", 2, "required"), "Debe decir yes o no, no «quizás»",
           "It must say yes or no, not «quizás»"),
    Broken("a language after one colon", form({"type": "text", "name": "a", "label": "A", "label:English (en)": "A"}),
           ("one_colon", "survey", 1, "label:English (en)"), "escriba «label::English (en)»",
           "write «label::English (en)»"),
    Broken("a required question the chat cannot ask",
           form({"type": "barcode", "name": "b", "label": "B", "required": "yes"}), ("cannot_ask", "survey", 2, "type"),
           "«barcode» no se puede preguntar en el chat", "«barcode» cannot be asked in the chat"),
    Broken("the sheet named as the ejecutor named it", form(_text("a", hint="${b}"), survey_sheet="Survey"),
           ("unknown_reference", "Survey", 2, "hint"), "${b} no es ninguna pregunta", "${b} is not a question"),
    Broken("a workbook without its survey sheet", xlsform_workbook({"settings": [{"form_title": "T"}],
                                                                    "choices": YES_NO}),
           ("no_survey_sheet", "", None, None), "Falta la hoja «survey»", "The «survey» sheet is missing"),
    Broken("a name without ${}", form({"type": "integer", "name": "x", "label": "X"}, _text("y", relevant="x > 1")),
           ("dollar_needed", "survey", 3, "relevant"), "escriba ${x}", "write ${x}"),
    Broken("a function with too few values", form(_text("a", constraint="substr(.)")),
           ("expression_arguments_between", "survey", 2, "constraint"), "substr() lleva entre 2 y 3 valores",
           "substr() takes between 2 and 3 values"),
    Broken("a choice filter on a column the choices lack",
           form({"type": "select_one sn", "name": "q", "label": "Q", "choice_filter": "zona = 'norte'"}),
           ("filter_column_missing", "survey", 2, "choice_filter"), "usa la columna zona",
           "uses the column zona"),
    Broken("or_other with a choice filter", form({"type": "select_one sn or_other", "name": "q", "label": "Q",
                                                  "choice_filter": "name = 'si'"}),
           ("or_other_filter", "survey", 2, "choice_filter"), "no puede tener filtro de opciones",
           "cannot have a choice filter"),
    Broken("what pyxform says that we do not word ourselves",
           form({"type": "select_one_external sn", "name": "q", "label": "Q"}),
           ("pyxform", "", None, None), "El convertidor de formularios dice: There should be an external_choices sheet",
           "The form converter says: There should be an external_choices sheet"),
]

# One form with many mistakes: every one is reported in the same answer.
MANY = form(
    {"type": "text", "name": "nombre", "label": "Nombre", "label:English (en)": "Name"},
    {"type": "interger", "name": "edad", "label": "Edad"},
    _text("nombre"),
    {"type": "select_one nolist", "name": "color", "label": "Color"},
    _text("saludo", relevant="${apodo} = 'x'"),
    {"type": "integer", "name": "hijos", "label": "Hijos", "constraint": ". >"},
    _text("z", required="maybe"),
    {"type": "begin_group", "name": "g", "label": "G"},
)
MANY_WHERE = [
    ("one_colon", "survey", 1, "label:English (en)"),
    ("unknown_type", "survey", 3, "type"),
    ("duplicate_name", "survey", 4, "name"),
    ("missing_list", "survey", 5, "type"),
    ("unknown_reference", "survey", 6, "relevant"),
    ("expression_incomplete", "survey", 7, "constraint"),
    ("yes_or_no", "survey", 8, "required"),
    ("unmatched_begin", "survey", 9, "type"),
]
