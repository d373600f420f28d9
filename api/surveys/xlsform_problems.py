"""What is wrong with an uploaded XLSForm, worded for the ejecutor in the staff's language (es, en).

Every problem an upload can meet — our own checks (conversations/surveys/reading.py, api/surveys/xlsform.py,
the expression reader) and what pyxform says, in English — is a `Problem`: a stable `code`, where it is
(sheet, row and column as Excel shows them) and the names it concerns. `MESSAGES` words each code through
the Babel catalogs; `PYXFORM` and `EXPRESSIONS` read pyxform's and the expression reader's English into
codes, and what they do not know keeps its own text after a translated lead-in, never dropped.
"""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from conversations.kernel.i18n import Translator

STAFF_LANGUAGES = ("es", "en")  # the console's, and so the API's words to staff


def N_(message: str) -> str:
    """Marks a text for the catalogs; translated where it is shown."""
    return message


# A code's words; {placeholders} are the problem's params. The msgids are Spanish, for a non-technical
# reader: what is wrong, then what to change.
MESSAGES = {
    "unreadable_file": N_("El archivo no se pudo leer como un formulario XLSForm. Guárdelo en Excel como "
                          "«Libro de Excel (.xlsx)» y vuelva a subirlo."),
    "too_large": N_("El archivo pesa más de {n} MB. Quite hojas o imágenes que no sean parte del formulario."),
    "too_many_files": N_("Se pueden subir a lo más {n} archivos CSV junto al formulario."),
    "missing_column": N_("Falta la columna {columns} en la primera fila de esta hoja. Agréguela con ese "
                         "nombre exacto."),
    "no_survey_sheet": N_("Falta la hoja «survey», con una fila por pregunta (columnas type, name y label)."),
    "no_choices_sheet": N_("Falta la hoja «choices», con las columnas list_name, name y label: las preguntas de "
                           "selección toman de ahí sus opciones."),
    "one_colon": N_("Para indicar el idioma de una columna van dos veces dos puntos: escriba «{fixed}»."),
    "no_title": N_("La encuesta no tiene título: escríbalo en la hoja «settings», columna form_title."),
    "no_questions": N_("La encuesta no tiene ninguna pregunta que se pueda responder."),
    "too_many_questions": N_("Un formulario puede tener a lo más {n} preguntas. Divídalo en dos encuestas."),
    "unknown_type": N_("«{type}» no es un tipo de pregunta que conozcamos. Revise cómo está escrito (por "
                       "ejemplo text, integer, select_one lista)."),
    "unknown_type_like": N_("«{type}» no es un tipo de pregunta que conozcamos. ¿Quiso escribir «{similar}»?"),
    "no_type": N_("Esta fila no tiene tipo. Escriba el tipo de pregunta o, si la fila sobra, bórrela."),
    "no_name": N_("Esta fila no tiene nombre. Escriba un nombre corto sin espacios, como «edad»."),
    "invalid_name": N_("El nombre «{name}» no sirve: debe empezar con una letra y llevar solo letras, números "
                       "y _ (sin espacios ni tildes)."),
    "reserved_name": N_("El nombre «{name}» está reservado para los datos del formulario. Elija otro."),
    "duplicate_name": N_("El nombre «{name}» ya se usó en otra fila. Cada pregunta necesita un nombre distinto."),
    "ambiguous_reference": N_("${{{name}}} es ambiguo: hay más de una pregunta con el nombre «{name}». "
                              "Cambie uno de los nombres."),
    "long_name_in_repeat": N_("El nombre «{name}» es muy largo para una pregunta dentro de una repetición: "
                              "use a lo más {n} caracteres."),
    "no_label": N_("La pregunta «{name}» no tiene texto. Escriba en la columna label lo que se le pregunta al "
                   "vecino."),
    "bad_select": N_("«{type}» no se entiende: una pregunta de selección se escribe «select_one lista» o "
                     "«select_multiple lista», con el nombre de una lista de la hoja «choices» (y, si quiere, "
                     "or_other al final)."),
    "missing_list": N_("La lista «{list}» no está en la hoja «choices». Revise cómo está escrito su nombre en "
                       "ambas hojas, o agregue sus opciones."),
    "no_choices": N_("La pregunta «{name}» no tiene opciones. Agréguelas en la hoja «choices»."),
    "too_many_choices": N_("La pregunta «{name}» tiene más de {n} opciones, que no caben en el chat. Acórtela "
                           "o use un filtro de opciones (choice_filter)."),
    "duplicate_choice": N_("La opción «{choice}» aparece dos veces en la misma lista. Cambie uno de los nombres "
                           "o, si es a propósito, ponga allow_choice_duplicates = yes en la hoja «settings»."),
    "choice_no_name": N_("Esta opción no tiene nombre. Escriba en la columna name un código corto, sin espacios."),
    "choice_no_label": N_("Esta opción no tiene texto. Escriba en la columna label lo que verá el vecino."),
    "unknown_reference": N_("${{{name}}} no es ninguna pregunta del formulario. Revise cómo está escrito el "
                            "nombre."),
    "reference_to_group": N_("${{{name}}} es un grupo, no una pregunta: refiérase a una de las preguntas que "
                             "tiene adentro."),
    "bad_reference": N_("Hay una referencia mal escrita: se escribe ${{nombre}}, con el nombre de una pregunta "
                        "entre las llaves."),
    "dollar_needed": N_("Para referirse a la pregunta «{reference}» escriba ${{{reference}}}."),
    "refers_to_skipped": N_("Se refiere a «{skipped}», una pregunta que el chat no puede hacer ({type}) y que se "
                            "deja fuera. Quite esa referencia o cambie esa pregunta."),
    "unmatched_begin": N_("Este {opening} («{name}») no tiene su {closing}. Agregue una fila {closing} donde "
                          "termina."),
    "unmatched_end": N_("Este {closing} no cierra ningún {opening}. Bórrelo, o agregue el {opening} que le "
                        "corresponde."),
    "empty_repeat": N_("La repetición «{name}» no tiene preguntas dentro."),
    "repeat_in_repeat": N_("«{name}» es una repetición dentro de la repetición «{repeat}», y el chat no puede "
                           "hacerla. Póngala después, como otra repetición."),
    "repeat_count_later": N_("La cantidad de repeticiones solo puede depender de preguntas hechas antes de la "
                             "repetición."),
    "too_deep": N_("Hay grupos dentro de grupos más de {n} veces. Saque algunos grupos."),
    "no_calculation": N_("El cálculo «{name}» no tiene fórmula. Escríbala en la columna calculation."),
    "cannot_ask": N_("«{type}» no se puede preguntar en el chat. Haga la pregunta opcional (el formulario se "
                     "cargará sin ella) o bórrela."),
    "required_photo": N_("Una foto no puede ser obligatoria en el chat (no todos los vecinos pueden enviarla): "
                         "haga la pregunta opcional."),
    "yes_or_no": N_("Debe decir yes o no, no «{value}»."),
    "range_not_numbers": N_("Los parámetros de un rango deben ser números, por ejemplo start=1 end=10 step=1."),
    "range_parameter": N_("El parámetro «{parameter}» de un rango debe ser un número."),
    "range_steps": N_("Con ese paso no se llega del inicio al final del rango. Revise start, end y step."),
    "bad_parameters": N_("Los parámetros se escriben así: clave=valor, separados por espacios (por ejemplo "
                         "start=1 end=10)."),
    "bad_anchors": N_("Las anclas de una escala son dos: lo que significan el 1 y el 5."),
    "file_extension": N_("El archivo de opciones de «{type}» debe terminar en .csv."),
    "file_missing": N_("Las opciones de esta pregunta están en «{file}»: súbalo junto al formulario."),
    "file_missing_uploaded": N_("Las opciones de esta pregunta están en «{file}»: súbalo junto al formulario "
                                "(se subió: {uploaded})."),
    "file_unreadable": N_("«{file}» no se pudo leer como CSV: guárdelo en Excel como «CSV UTF-8»."),
    "file_column": N_("«{file}» necesita una columna «{column}» (tiene: {has})."),
    "file_too_large": N_("«{file}» pesa más de {n} MB."),
    "or_other_filter": N_("Una pregunta con or_other no puede tener filtro de opciones (choice_filter). Quite "
                          "uno de los dos."),
    "filter_column_missing": N_("El filtro de opciones usa la columna {columns}, que las opciones de esta lista "
                                "no tienen en la hoja «choices»."),
    "too_long": N_("Es demasiado largo: como máximo {n} caracteres."),
    "too_many": N_("Son demasiados: como máximo {n}."),
    "bad_labels": N_("Este texto no se pudo leer."),
    "expression_error": N_("La fórmula «{expression}» no se pudo leer ({detail})."),
    "expression_unexpected": N_("La fórmula «{expression}» tiene algo que sobra o falta cerca de «{token}»."),
    "expression_unreadable": N_("La fórmula «{expression}» tiene algo que no se entiende: «{token}»."),
    "expression_incomplete": N_("La fórmula «{expression}» termina antes de tiempo: falta algo al final."),
    "expression_expected": N_("A la fórmula «{expression}» le falta «{token}»."),
    "expression_function": N_("La fórmula «{expression}» usa {function}(), que el chat no conoce."),
    "expression_arguments": N_("En la fórmula «{expression}», {function}() lleva {n} valores."),
    "expression_arguments_between": N_("En la fórmula «{expression}», {function}() lleva entre {fewest} y {most} "
                                       "valores."),
    "expression_arguments_at_least": N_("En la fórmula «{expression}», {function}() lleva {n} valores o más."),
    "expression_too_long": N_("La fórmula es demasiado larga: como máximo {n} caracteres."),
    "expression_too_deep": N_("La fórmula tiene demasiados paréntesis uno dentro de otro (más de {n})."),
    "expression_regex": N_("El patrón de regex() de la fórmula «{expression}» no sirve. Revíselo o "
                           "simplifíquelo."),
    "trigger_unused": N_("La columna trigger no se usa: los cálculos se rehacen cada vez que cambian sus datos."),
    "skipped": N_("«{type}» no se puede preguntar en el chat: la pregunta «{name}» se deja fuera."),
    "pyxform": N_("El convertidor de formularios dice: {said}"),
    "invalid": N_("Hay algo en esta fila que no se pudo leer: {said}"),
}

# What pyxform says (its "[row : N]" taken off) → our code; named groups become params, `sheet` and `column`
# say where when pyxform names them.
PYXFORM = {
    r"the 'name' value '(?P<name>[^']*)' is invalid\. Questions, groups, and repeats must be unique": "duplicate_name",
    r"the 'name' value '(?P<name>[^']*)' is invalid\. The name '[^']*' is reserved": "reserved_name",
    r"the 'name' value is invalid\. Names must begin with a letter": "invalid_name",
    r"^List name not in choices sheet: (?P<list>.+)$": "missing_list",
    r"^There should be a choices sheet": "no_choices_sheet",
    r"^You must have a sheet named 'survey'": "no_survey_sheet",
    r"Reference variables must contain a name from the 'survey' sheet\. Could not find the name '(?P<name>[^']+)'":
        "unknown_reference",
    r"Reference variables names must be unique anywhere in the 'survey'\. The name '(?P<name>[^']+)'":
        "ambiguous_reference",
    r"Reference variables must start with '\$\{', then a question name": "bad_reference",
    r"^Unmatched '(?P<opening>begin_(?:group|repeat))'\. No matching '(?P<closing>[^']+)' was found for the name "
    r"'(?P<name>[^']*)'": "unmatched_begin",
    r"^Unmatched '(?P<closing>end_(?:group|repeat))'\. No matching '(?P<opening>[^']+)'": "unmatched_end",
    r"^Question or group with no name": "no_name",
    r"^Question with no type": "no_type",
    r"Choice names must be unique for each choice list": "duplicate_choice",
    r"Choices must have a name": "choice_no_name",
    r"Choices should have a label": "choice_no_label",
    r"^Missing calculation": "no_calculation",
    r"For the 'range' question type, the parameter '(?P<parameter>\w+)' must be a number": "range_parameter",
    r"Parameters must be in the form of": "bad_parameters",
    r"^File name for '(?P<type>[^']+)' should end with one of the supported": "file_extension",
    r"^Invalid headers provided for sheet: '(?P<sheet>\w+)'\. One or more required column headers were not found: "
    r"(?P<columns>.+?)\. Learn": "missing_column",
    r"^Unknown question type '(?P<type>[^']+)'": "unknown_type",
    r"^Choice filter not supported with or_other": "or_other_filter",
}
_PYXFORM = [(re.compile(pattern), code) for pattern, code in PYXFORM.items()]
_ROW = re.compile(r"\[row : (\d+)\]\s*")
_WHERE = re.compile(r"On the '(?P<sheet>\w+)' sheet, the '(?P<column>[^']+)' value")

# What the expression reader (conversations/surveys/expr.py) says → our code.
EXPRESSIONS = {
    r"the expression is longer than (?P<n>\d+) characters": "expression_too_long",
    r"the expression nests more than (?P<n>\d+) levels": "expression_too_deep",
    r"^unexpected (?P<token>'[^']*'|\"[^\"]*\") in": "expression_unexpected",
    r"^cannot read (?P<token>'[^']*'|\"[^\"]*\") in": "expression_unreadable",
    r"ends too early$": "expression_incomplete",
    r"^expected (?P<token>'[^']*'|\"[^\"]*\") in": "expression_expected",
    r"^the function (?P<function>[\w:-]+)\(\) is not supported": "expression_function",
    r"^unknown function '(?P<function>[\w:-]+)'": "expression_function",
    r"^(?P<function>[\w:-]+)\(\) takes (?P<fewest>\d+) to (?P<most>\d+) argument": "expression_arguments_between",
    r"^(?P<function>[\w:-]+)\(\) takes (?P<n>\d+) or more argument": "expression_arguments_at_least",
    r"^(?P<function>[\w:-]+)\(\) takes (?P<n>\d+) argument": "expression_arguments",
    r"regex\(\) pattern|regex\(\) needs": "expression_regex",
}
_EXPRESSIONS = [(re.compile(pattern), code) for pattern, code in EXPRESSIONS.items()]


class _Named(dict[str, str]):
    """A problem's params for its words; a name the words want and the problem lacks reads as "?"."""

    def __missing__(self, key: str) -> str:
        return "?"


@dataclass(frozen=True)
class Problem:
    """One thing to change in an uploaded form: where (as Excel shows it), a stable code and its names."""

    sheet: str
    row: int | None
    column: str | None
    code: str
    params: Mapping[str, str] = field(default_factory=dict)
    wording: str = ""  # a variant of the code's words (a suggestion found, a file uploaded), else the code's

    def message(self, t: Translator) -> str:
        """What is wrong and what to change, in `t`'s language."""
        return t._(MESSAGES[self.wording or self.code]).format_map(_Named(self.params))

    def line(self, t: Translator) -> str:
        """"Hoja survey, fila 3, columna relevant: ...", for a list of problems."""
        return t._("{where}: {problem}", where=self.where(t), problem=self.message(t))

    def where(self, t: Translator) -> str:
        if self.row is not None and self.column:
            return t._("Hoja {sheet}, fila {row}, columna {column}", sheet=self.sheet, row=self.row,
                       column=self.column)
        if self.row is not None:
            return t._("Hoja {sheet}, fila {row}", sheet=self.sheet, row=self.row)
        if self.column:
            return t._("Hoja {sheet}, columna {column}", sheet=self.sheet, column=self.column)
        return t._("Hoja {sheet}", sheet=self.sheet) if self.sheet else t._("Archivo")

    def __str__(self) -> str:
        return self.line(Translator("en"))


class UploadProblems(str):
    """An upload's problems: reads as their English lines (for logs and the API's generic handlers),
    keeps each `Problem` for whoever words them in a reader's language."""

    problems: list[Problem]

    def __new__(cls, problems: Sequence[Problem]) -> "UploadProblems":
        made = super().__new__(cls, "\n".join(str(problem) for problem in problems))
        made.problems = list(problems)
        return made


def from_pyxform(said: str) -> tuple[int | None, str | None, str, dict[str, str]]:
    """pyxform's message as (row, sheet, code, params); an unknown one is `pyxform`, its text kept whole."""
    found = _ROW.search(said)
    row = int(found.group(1)) if found else None
    text = _ROW.sub("", said).strip()
    where = _WHERE.search(text)
    sheet = where.group("sheet") if where else None
    for pattern, code in _PYXFORM:
        if matched := pattern.search(text):
            params = {k: v.replace("'", "") for k, v in matched.groupdict().items() if v is not None}
            if where:
                params.setdefault("column", where.group("column"))
            return row, params.pop("sheet", sheet), code, params
    return row, sheet, "pyxform", {"said": text}


def expression_code(detail: str) -> tuple[str, dict[str, str]]:
    """The expression reader's English as a code and its names; unknown ones keep their text."""
    for pattern, code in _EXPRESSIONS:
        if matched := pattern.search(detail):
            return code, {k: v[1:-1] if k == "token" else v for k, v in matched.groupdict().items() if v is not None}
    return "expression_error", {"detail": detail}


def staff_language(asked: str | None, accept_language: str | None) -> str | None:
    """`lang` if given (None when the console does not speak it), else the best of Accept-Language, else es."""
    if asked:
        return asked if asked in STAFF_LANGUAGES else None
    ranked = []
    for part in (accept_language or "").split(","):
        tag, _, quality = part.strip().partition(";q=")
        try:
            ranked.append((float(quality or 1), tag.strip().lower().split("-")[0]))
        except ValueError:
            continue
    return next((tag for _, tag in sorted(ranked, key=lambda pair: -pair[0]) if tag in STAFF_LANGUAGES), "es")
