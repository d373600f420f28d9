"""What went wrong with a console form, said plainly in the staff user's language.

The console reads its forms into the API's schemas, whose errors name fields (`closes_at`) and
speak pydantic's English ("Input should be a valid datetime"), and its stores raise details written
for API users ("closes_at: must be in the future"). Pages show neither as such: a form's problems
travel as `FormProblems` (a plain string for the API's handlers, with each problem's field, kind and
limits kept), and `explain(...)` turns them, or a store's detail, into one line per problem: the field
as the form labels it and a plain message, through the Babel catalogs (es, en).
"""

import re
from collections.abc import Iterable
from typing import Any

from pydantic import ValidationError

from api.surveys.xlsform_problems import UploadProblems
from conversations.kernel.i18n import Translator


def N_(message: str) -> str:
    """Marks a text for the catalogs; translated where it is shown."""
    return message


Problem = tuple[str, str, dict[str, Any]]  # (field path "iniciativas.0.cost", kind, limits)


class FormProblems(str):
    """A form's problems: reads "field: message" a line (as the API's errors do), keeps each one's kind."""

    items: list[Problem]

    def __new__(cls, items: Iterable[Problem], english: Iterable[str] = ()) -> "FormProblems":
        listed = list(items)
        said = list(english) or [f"{field}: {kind}" for field, kind, _ in listed]
        made = super().__new__(cls, "\n".join(said))
        made.items = listed
        return made

    @classmethod
    def of(cls, error: ValidationError) -> "FormProblems":
        found = error.errors()
        kinds = [_kind(e) for e in found]
        return cls([(".".join(str(p) for p in e["loc"]) or _FIELD_OF.get(kind, ""), kind, dict(e.get("ctx") or {}))
                    for e, kind in zip(found, kinds, strict=True)],
                   [f"{'.'.join(str(p) for p in e['loc']) or '-'}: {e['msg']}" for e in found])


def one(field: str, kind: str, **limits: Any) -> FormProblems:
    return FormProblems([(field, kind, limits)])


# The schemas' own checks (ValueError in a validator) carry only their English text: known ones by
# their words, so they get a plain message too.
_VALUE_ERRORS = {
    "closes_at must be after opens_at": "after_opening",
    "budget is required": "budget_required",
    "cost more than the whole budget": "over_budget",
    "max_choices is required": "max_choices_required",
    "max_choices is more than": "max_choices_over",
    "ends_on must be after starts_on": "after_start",
    "must have at least 2 non-blank": "too_short",
    "must lie between": "out_of_range",
    "must be one of": "not_an_option",
}


# A check on the whole form is about one field, as the form shows it.
_FIELD_OF = {"after_opening": "closes_at", "budget_required": "budget", "over_budget": "budget",
             "max_choices_required": "max_choices", "max_choices_over": "max_choices", "after_start": "ends_on"}


def _kind(error: Any) -> str:
    if error["type"] != "value_error":
        return str(error["type"])
    text = str(error["msg"])
    return next((kind for words, kind in _VALUE_ERRORS.items() if words in text), "value_error")


FIELDS = {  # a field's name as the console's forms label it
    "title": N_("Título"), "description": N_("Descripción"), "method": N_("Forma de votar"),
    "max_choices": N_("Máximo de iniciativas por voto"), "budget": N_("Presupuesto disponible"),
    "opens_at": N_("Abre"), "closes_at": N_("Cierra"), "iniciativas": N_("Iniciativas"),
    "cost": N_("Costo"), "ambito": N_("Ámbito"), "starts_at": N_("Fecha y hora"), "place": N_("Dónde"),
    "text": N_("Texto"), "text_ht": N_("En creole haitiano"), "text_en": N_("En inglés"),
    "title_ht": N_("Título en criollo haitiano"), "title_en": N_("Título en inglés"),
    "description_ht": N_("Descripción en criollo haitiano"), "description_en": N_("Descripción en inglés"),
    "name": N_("Nombre"), "email": N_("Correo"), "password": N_("Contraseña"), "label": N_("Nombre del token"),
    "kind": N_("Tipo"), "contact_name": N_("Persona de contacto"), "contact_phone": N_("Teléfono"),
    "contact_email": N_("Correo"), "notes": N_("Notas"), "note": N_("Nota"), "actor_id": N_("Actor"),
    "actors": N_("Actores"), "held_on": N_("Fecha"), "on": N_("Fecha"), "amount": N_("Monto"),
    "fosis_amount": N_("Financiamiento FOSIS"), "objective": N_("Objetivo"), "dimension": N_("Dimensión"),
    "due_on": N_("Plazo"), "responsible": N_("Responsable"), "progress": N_("Avance (%)"),
    "problem_id": N_("Problema que aborda"), "result": N_("Lo que mostró el diagnóstico"),
    "photo_url": N_("Enlace a una foto"), "starts_on": N_("Desde"), "ends_on": N_("Hasta"),
    "validated_on": N_("PDL validado el"), "details": N_("Detalles"), "urgencia": N_("Urgencia"),
    "status": N_("Estado"), "iniciativa_id": N_("Iniciativa"), "question": N_("Pregunta"),
}

MESSAGES = {  # a plain message per kind of problem; {n} is the limit named in LIMITS
    "missing": N_("falta completarlo."),
    "datetime_missing": N_("falta la fecha y la hora."),
    "string_too_short": N_("es muy corto: escriba al menos {n} caracteres."),
    "too_short": N_("es muy corto: escriba al menos {n} caracteres."),
    "string_too_long": N_("es muy largo: use como máximo {n} caracteres."),
    "too_long": N_("son demasiados: como máximo {n}."),
    "int_parsing": N_("debe ser un número entero, sin puntos ni letras."),
    "int_from_float": N_("debe ser un número entero, sin puntos ni letras."),
    "float_parsing": N_("debe ser un número."),
    "decimal_parsing": N_("debe ser un número."),
    "greater_than": N_("debe ser mayor que {n}."),
    "greater_than_equal": N_("debe ser {n} o más."),
    "less_than": N_("debe ser menor que {n}."),
    "less_than_equal": N_("debe ser {n} o menos."),
    "datetime_parsing": N_("no es una fecha y hora válida."),
    "datetime_from_date_parsing": N_("no es una fecha y hora válida."),
    "datetime_type": N_("no es una fecha y hora válida."),
    "date_parsing": N_("no es una fecha válida."),
    "date_from_datetime_parsing": N_("no es una fecha válida."),
    "date_type": N_("no es una fecha válida."),
    "future": N_("debe ser una fecha futura."),
    "after_opening": N_("debe ser después de la apertura."),
    "after_start": N_("debe ser después del inicio."),
    "out_of_range": N_("está fuera del rango permitido."),
    "literal_error": N_("elija una de las opciones de la lista."),
    "enum": N_("elija una de las opciones de la lista."),
    "not_an_option": N_("elija una de las opciones de la lista."),
    "url_parsing": N_("no es un enlace válido (debe empezar con https://)."),
    "url_scheme": N_("no es un enlace válido (debe empezar con https://)."),
    "value_error": N_("no es un valor válido."),
    "email": N_("no es un correo válido."),
    "budget_required": N_("falta el presupuesto, que esta forma de votar necesita."),
    "over_budget": N_("hay iniciativas que cuestan más que todo el presupuesto."),
    "max_choices_required": N_("falta, y esta forma de votar lo necesita."),
    "max_choices_over": N_("es mayor que el número de iniciativas."),
    "taken": N_("ya tiene una cuenta."),
    "password_short": N_("es muy corta: use al menos {n} caracteres."),
}

# Where a kind's {n} comes from in pydantic's limits (or ours), and what it is when they do not say.
LIMITS = {
    "string_too_short": ("min_length", 1), "too_short": ("min_length", 2), "string_too_long": ("max_length", ""),
    "too_long": ("max_length", ""), "greater_than": ("gt", ""), "greater_than_equal": ("ge", ""),
    "less_than": ("lt", ""), "less_than_equal": ("le", ""), "password_short": ("n", 12),
}

# What the stores raise for API users (English, for a developer) -> what the console says: a field's
# problem when the detail names the field, else a sentence.
STORE_DETAILS = {
    r"^(?P<field>\w+): must be in the future$": N_("debe ser una fecha futura."),
    r"^(?P<field>\w+): must be after opens_at$": N_("debe ser después de la apertura."),
    r"^(?P<field>\w+): must have at least (?P<n>\d+) characters$": N_("es muy corta: use al menos {n} caracteres."),
    r"^(?P<field>\w+): \S+ already has an account$": N_("ya tiene una cuenta."),
    r"^(?P<field>\w+): value is not a valid email address": N_("no es un correo válido."),
    r"^(?P<field>\w+): String should have at least (?P<n>\d+) character":
        N_("es muy corto: escriba al menos {n} caracteres."),
    r"^(?P<field>\w+): String should have at most (?P<n>\d+) character":
        N_("es muy largo: use como máximo {n} caracteres."),
    r"^(?P<field>\w+): Field required$": N_("falta completarlo."),
    r"^(?P<field>\w+): cannot be null$": N_("falta completarlo."),
    r"^(?P<field>\w+): each must be a proposed iniciativa": N_("elija iniciativas propuestas del PDL de este barrio."),
    r"was decided already": N_("Esta idea ya fue decidida; recargue la página."),
    r"is not waiting for approval": N_("Este hito ya no espera aprobación; recargue la página."),
    r"^iniciativa \d+ is \w+; it may become: (?P<options>.*)$":
        N_("Desde su estado actual, esta iniciativa solo puede pasar a: {options}."),
    r"changed meanwhile": N_("Alguien cambió esto al mismo tiempo; recargue la página y vuelva a intentarlo."),
    r"on another ballot already": N_("Algunas de estas iniciativas ya están en otra votación."),
    r"personal links were already cut":
        N_("El programa de este barrio terminó y sus vínculos se cortaron: ya no se puede cambiar."),
    r"^ballot \d+ is": N_("La votación ya no está programada: ese cambio ya no se puede hacer."),
    r"close the línea de salida first": N_("Primero cierre la encuesta de salida."),
    r"^survey \d+ is \w+; close": N_("Primero cierre la encuesta."),
    r"^survey \d+ is": N_("La encuesta no está en el estado que ese cambio necesita; recargue la página."),
    r"^convocatoria \d+ was called off": N_("La convocatoria ya fue suspendida o ya pasó."),
    r"changed since it was previewed": N_("El mensaje cambió desde la vista previa; véalo de nuevo antes de enviarlo."),
    r"^the barrio has no linea_base survey":
        N_("Falta la encuesta de línea de base de este barrio: cárguela o elija una abajo."),
    r"^the barrio has no salida survey": N_("Falta la encuesta de salida de este barrio: cárguela o elija una abajo."),
    r"^base and salida are the same survey": N_("Elija dos encuestas distintas para comparar."),
}
_STORE_DETAILS = [(re.compile(pattern), message) for pattern, message in STORE_DETAILS.items()]


def message(t: Translator, kind: str, limits: dict[str, Any]) -> str:
    """A kind of problem said plainly, with its limit; an email's value_error says it is not an email."""
    if kind == "value_error" and "email" in str(limits.get("reason", "")):
        kind = "email"
    key, default = LIMITS.get(kind, ("", ""))
    return t._(MESSAGES.get(kind, MESSAGES["value_error"]), n=limits.get(key, default))


def label(t: Translator, field: str) -> str:
    """ "iniciativas.1.cost" as "Iniciativa 2, Costo"; "closes_at" as "Cierra"."""
    parts = field.split(".")
    if len(parts) >= 3 and parts[1].isdigit():
        return t._("{row} {n}, {field}", row=t._("Iniciativa"), n=int(parts[1]) + 1,
                   field=label(t, ".".join(parts[2:])))
    if len(parts) >= 3 and parts[0] == "translations":  # translations.ht.title: the title_ht field
        parts = [f"{parts[2]}_{parts[1]}"]
    name = parts[-1] if parts[-1] and not parts[-1].isdigit() else parts[0]
    return t._(FIELDS[name]) if name in FIELDS else ""


def _line(t: Translator, field: str, message: str) -> str:
    name = label(t, field)
    return t._("{field}: {problem}", field=name, problem=message) if name else message[:1].upper() + message[1:]


def explain(t: Translator, error: str | None) -> list[str]:
    """What went wrong, a line per problem, in the staff user's language; [] when nothing did."""
    if not error:
        return []
    if isinstance(error, FormProblems):
        return [_line(t, field, message(t, kind, limits)) for field, kind, limits in error.items]
    if isinstance(error, UploadProblems):
        return [problem.line(t) for problem in error.problems]
    lines = []
    for said in error.split("\n"):
        lines.append(_store_line(t, said.strip()))
    return lines


def _store_line(t: Translator, said: str) -> str:
    for pattern, said_plainly in _STORE_DETAILS:
        if found := pattern.search(said):
            values = found.groupdict()
            field = values.pop("field", None)
            return _line(t, field, t._(said_plainly, **values)) if field else t._(said_plainly, **values)
    return t._("Algo no se pudo guardar. Revise los datos y vuelva a intentarlo. (Detalle técnico: {detail})",
               detail=said)
