"""Responses as CSV or Excel: one row per response, one column per question.

Laid out as KoBoToolbox exports are: a question inside groups is named by its path
(`group/question`, or just `question` with short names), a `select_multiple` question has
its own column (the chosen codes, space-separated) followed by one 0/1 column per choice
named `question/choice`, and a calculation is a column like any answer. Codes or labels
are selectable; with labels, the fixed columns' headers and the status values are in the
export's language too. Cells are typed: numbers are numbers, dates, times and date-times
are real dates (in the barrio's time zone); the respondent is a per-survey pseudonym. A
survey with sensitive questions has a `sensitive_consent` column (yes, no, or empty when
they were not reached): a "no" leaves those questions empty, it is not an answer, and
counting the "no"s gives who declined.

The workbook (`workbook_sheets`) has an `info` sheet first (what the file is: survey,
barrio, kind, exported when and by whom, the options asked), a `variables` sheet (the
dictionary: each column's question, type, label in every language of the form, choices),
then `respuestas`, ending, when the form has repeats, with `_index` (the row's number, which each
repeat's rows name in `_parent_index`), where a photo is the API path that downloads it; further sheets (repeats)
can be appended to that list. Both formats stream: CSV in chunks, Excel through xlsxwriter's
constant-memory mode.
"""

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from api.barrios.models import Barrio
from api.kernel.errors import Invalid
from api.kernel.exports import Cell, Sheet
from api.surveys.models import Survey
from api.surveys.photos import photo_path
from api.surveys.rows import ResponseRow, Window, responses
from api.surveys.store import view
from conversations.kernel.i18n import SOURCE_LOCALE, SUPPORTED, Translator
from conversations.surveys.form import Form
from conversations.surveys.questions import Question

TYPED = {"date": date.fromisoformat, "datetime": datetime.fromisoformat, "time": time.fromisoformat,
         "today": date.fromisoformat, "start": datetime.fromisoformat, "end": datetime.fromisoformat}


def checked_language(form: Form, language: str | None) -> str | None:
    """The language asked if the form has labels in it (None: the form's default); else Invalid naming the form's."""
    if language is None or language in form.languages:
        return language
    raise Invalid(f"lang: the survey has no labels in {language!r}; its languages are "
                  f"{', '.join(form.languages)}")


class Layout:
    """Columns of a survey's export, what each one holds (`variables`), and how one response fills them."""

    def __init__(self, form: Form, timezone: str, labels: bool, language: str | None, short: bool = False,
                 survey_id: int = 0) -> None:
        self.form, self.labels, self.short, self.survey_id = form, labels, short, survey_id
        self.photos: list[tuple[int, str]] = []  # (column, question) of image questions: links to the photo
        self.locale = language or form.default_language
        self.t = Translator(self.locale if self.locale in SUPPORTED else SOURCE_LOCALE, timezone)
        self.tz = ZoneInfo(timezone)
        self.header: list[str] = []
        self.variables: list[list[Cell]] = []
        t = self.t
        fixed = [("respondent", t._("Participante"), t._("seudónimo de quien responde, propio de esta encuesta")),
                 ("status", t._("Estado"), t._("completa o incompleta")),
                 ("started", t._("Inicio"), t._("cuándo empezó a responder (hora del barrio)")),
                 ("submitted", t._("Envío"), t._("cuándo terminó (hora del barrio)"))]
        self.consent = form.sensitive
        if self.consent:
            fixed.append(("sensitive_consent", t._("Consentimiento"),
                          t._("si aceptó responder las preguntas sensibles")))
        for code, title, meaning in fixed:
            self._variable(title if labels else code, code, "", {self.locale: meaning}, "")
        self.cells: list[Callable[[dict[str, Any]], Any]] = []
        for question in form.asked:
            if not question.repeat:  # a repeat's questions have their own table (api/surveys/repeats.py)
                self._columns(question)
        self.indexed = bool(form.repeats)  # last, as KoBo: the row's number, which repeats' rows name
        if self.indexed:
            self._variable("_index", "_index", "", {self.locale: t._(
                "número de la fila; las filas de cada repetición lo nombran en _parent_index")}, "")

    def _variable(self, column: str, name: str, kind: str, labels: dict[str, str], choices: str) -> None:
        self.header.append(column)
        self.variables.append([column, name, kind, *(labels.get(language, "") for language in self.form.languages),
                               choices])

    def _columns(self, question: Question) -> None:
        if self.labels:
            title = self.form.text(question.label, self.locale) or question.name
        else:
            title = f"{question.group}/{question.name}" if question.group and not self.short else question.name
        choices = "; ".join(f"{c.name} = {self.form.text(c.label, self.locale)}" for c in question.choices)
        self._variable(title, question.name, question.type, dict(question.label), choices)
        if question.type == "image":
            self.photos.append((len(self.header) - 1, question.name))
        self.cells.append(lambda answers, q=question: self._value(q, answers.get(q.name)))
        if question.type == "geopoint":
            self._parts(question, title)
        if question.type != "select_multiple":
            return
        for choice in question.choices:
            shown = self.form.text(choice.label, self.locale) if self.labels else choice.name
            labels = {language: f"{text}: {self.form.text(choice.label, language)}"
                      for language, text in question.label.items()}
            self._variable(f"{title}/{shown}", f"{question.name}/{choice.name}", "0/1", labels,
                           self.t._("1 = elegida, 0 = no elegida"))
            self.cells.append(lambda answers, q=question, c=choice.name: _flag(answers.get(q.name), c))

    def _parts(self, question: Question, title: str) -> None:
        """A geopoint's latitude, longitude, altitude and precision, each a number column as KoBo adds them
        (`_casa_latitude`; with labels, "¿Dónde vives? (latitud)")."""
        path, _, name = title.rpartition("/")
        t = self.t
        for position, (part, meaning) in enumerate((("latitude", t._("latitud")), ("longitude", t._("longitud")),
                                                    ("altitude", t._("altitud")), ("precision", t._("precisión")))):
            labels = {language: f"{text} ({meaning})" for language, text in question.label.items()}
            named = f"{path}/_{name}_{part}" if path else f"_{name}_{part}"
            column = f"{title} ({meaning})" if self.labels else named  # with labels: the label and the part
            self._variable(column, f"_{question.name}_{part}", "decimal", labels, "")
            self.cells.append(lambda answers, q=question.name, n=position: _part(answers.get(q), n))

    def _value(self, question: Question, value: Any) -> Any:
        if value is None:
            return ""
        if question.type in ("select_multiple", "rank"):  # codes space-separated, as KoBo exports them
            if self.labels:
                return ", ".join(question.choice_label(str(v), self.locale, self.form.default_language) for v in value)
            return " ".join(str(v) for v in value)
        if question.type == "select_one" and self.labels:
            return question.choice_label(str(value), self.locale, self.form.default_language)
        read = TYPED.get(question.type)
        if read is not None and isinstance(value, str):
            try:
                typed = read(value)
            except ValueError:
                return value
            if isinstance(typed, datetime) and typed.tzinfo is not None:  # start/end: in the barrio's time
                return typed.astimezone(self.tz).replace(tzinfo=None)
            return typed
        return value

    def row(self, response: ResponseRow, index: int = 0) -> list[Any]:
        """The cells of one response; `index` is its row's number (its `_index` when the form has repeats)."""
        complete = response.completed_at is not None
        if self.labels:
            status = self.t._("completa") if complete else self.t._("incompleta")
            consent = {True: self.t._("sí"), False: self.t._("no")}
        else:
            status, consent = "completa" if complete else "incompleta", {True: "yes", False: "no"}
        cells = [response.respondent, status, self.local(response.started_at), self.local(response.completed_at)]
        if self.consent:
            cells.append(consent.get(response.consent, ""))  # type: ignore[call-overload]
        cells.extend(cell(response.answers) for cell in self.cells)
        for column, question in self.photos:  # the photo's download, not Telegram's reference
            cells[column] = photo_path(self.survey_id, response.respondent, question) if cells[column] else ""
        if self.indexed:
            cells.append(index)
        return cells

    def local(self, moment: datetime | None) -> datetime | str:
        """A moment in the barrio's time zone, without the zone (a spreadsheet has none)."""
        return moment.astimezone(self.tz).replace(tzinfo=None) if moment else ""


def _part(value: Any, position: int) -> Any:
    """One number of a stored geopoint ("lat lon altitude precision")."""
    parts = str(value).split() if value else []
    try:
        return float(parts[position])
    except (IndexError, ValueError):
        return ""


def _flag(value: Any, choice: str) -> Any:
    if value is None:
        return ""
    return 1 if choice in value else 0


@dataclass(frozen=True)
class About:
    """What the info sheet says beside the survey: its barrio, who exported it, the options asked."""

    barrio: str
    by: str
    options: str
    now: datetime


def about_export(shape: Layout, barrio: Barrio, by: str) -> About:
    """The info sheet's facts: the barrio, who exports, the options asked, now."""
    options = f"labels={str(shape.labels).lower()} lang={shape.locale} short={str(shape.short).lower()}"
    return About(barrio=f"{barrio.name} ({barrio.comuna})", by=by, options=options, now=datetime.now(UTC))


MAIN_SHEET = "respuestas"  # the responses' sheet, between the variables and the repeats


def layout(survey: Survey, timezone: str, labels: bool, language: str | None, short: bool = False) -> Layout:
    return Layout(view(survey).form, timezone, labels, language, short, survey.id or 0)


def rows(engine: Engine, survey: Survey, layout: Layout, window: Window = Window()) -> Iterator[list[Any]]:
    """The export's rows, one per response started in `window`, read on the export's own connection."""
    for index, response in enumerate(responses(engine, survey.id, survey.salt, window), start=1):  # type: ignore[arg-type]
        yield layout.row(response, index)


def info_sheet(shape: Layout, survey: Survey, about: About) -> Sheet:
    """What the file is, in the export's language."""
    t, form = shape.t, shape.form
    return Sheet("info", [t._("Archivo"), t._("Respuestas de una encuesta")], [
        [t._("Encuesta"), form.text(form.title, shape.locale)],
        [t._("Número de la encuesta"), survey.id],
        [t._("Tipo"), str(survey.kind)],
        [t._("Barrio"), about.barrio],
        [t._("Exportado"), shape.local(about.now)],
        [t._("Exportado por"), about.by],
        [t._("Opciones"), about.options],
        [t._("Idiomas del formulario"), ", ".join(form.languages)],
        [t._("Diccionario de columnas"), t._("hoja «variables»")],
    ])


def variables_sheet(shape: Layout) -> Sheet:
    """The dictionary: one row per column of the responses."""
    t = shape.t
    header = [t._("columna"), t._("nombre"), t._("tipo"),
              *(t._("etiqueta ({language})", language=language) for language in shape.form.languages),
              t._("opciones")]
    return Sheet("variables", header, shape.variables)


def workbook_sheets(engine: Engine, survey: Survey, shape: Layout, about: About, window: Window = Window(),
                    more: Sequence[Sheet] = ()) -> list[Sheet]:
    """The workbook's sheets in order: info, variables, respuestas (the responses started in `window`), then
    `more` (a sheet per repeat: api/surveys/repeats.py)."""
    return [info_sheet(shape, survey, about), variables_sheet(shape),
            Sheet(MAIN_SHEET, shape.header, rows(engine, survey, shape, window)), *more]
