"""Answering the barrio's surveys in the chat, one question at a time.

    /encuestas or the menu's "Encuestas"   -> open surveys of the barrio     sv:list
    a survey chosen                        -> resume at the first unanswered sv:<survey>
    a choice pressed                       -> stored at once, next question  sv:<survey>:<q>:<choice>
    Listo / Omitir / Atrás                 -> sv:<survey>:<q>:ok|skip|back
    typed text at a text or number step    -> checked, stored, next question
    all answered                           -> thanks and a review with "change" buttons
                                              sv:<survey>:<q>:edit

Every answer is stored when given, so stopping halfway loses nothing: coming back
resumes at the first unanswered question. Buttons carry the question index and are
accepted only while that question is the current one (else menu.stale).
"""

import re
from datetime import date
from typing import Any

from conversations.kernel.context import Context
from conversations.kernel.events import Event
from conversations.kernel.feature import Feature
from conversations.kernel.i18n import Translator
from conversations.kernel.menu import hint, show_menu, stale
from conversations.kernel.replies import Button, Reply, rows
from conversations.kernel.state import Outcome, State, say
from conversations.surveys.expr import evaluate
from conversations.surveys.form import CHOICE_TYPES, SCALE, Form, Question
from conversations.surveys.ports import CLOSED, OPEN, SurveyView

STEP = "survey"
PREFIX = "sv"
MAX_TEXT = 1000


def list_surveys(state: State, _event: Event, ctx: Context) -> Outcome:
    """/encuestas: the open surveys of the vecino's barrio."""
    t = ctx.tr(state.locale)
    if ctx.surveys is None or ctx.member is None:
        return stale(state, ctx)
    surveys = ctx.surveys.open_for(ctx.member.barrio_id)
    if not surveys:
        return hint(state.idle(), ctx, t._("Por ahora no hay encuestas abiertas en tu barrio."))
    buttons = []
    for survey in surveys:
        title = survey.form.text(survey.form.title, state.locale)
        if ctx.surveys.completed(survey.id, ctx.member.id):
            title = t._("{title} (respondida)", title=title)
        buttons.append(Button(title[:60], f"{PREFIX}:{survey.id}"))
    buttons.append(Button(t._("Volver al menú"), "menu:"))
    return say(state.idle(), Reply(t._("Encuestas abiertas en tu barrio. Elige una:"), rows(*buttons)))


def pressed(state: State, event: Event, ctx: Context) -> Outcome:
    """sv:... pressed: open a survey, answer, skip, go back, finish a multiple choice or edit."""
    parts = event.text.split(":")
    if parts[1:] == ["list"]:
        return list_surveys(state, event, ctx)
    survey = _survey(parts[1] if len(parts) > 1 else "", ctx)
    if survey is None or len(parts) not in (2, 4):
        return stale(state, ctx)
    if survey.status != OPEN:
        return _closed(state, survey, ctx)
    if len(parts) == 2:
        return _enter(state, survey, ctx)
    index, action = _int(parts[2]), parts[3]
    questions = survey.form.questions
    if index is None or not 0 <= index < len(questions):
        return stale(state, ctx)
    if action == "edit":
        if not survey.form.relevant(index, _answers(survey, ctx)):
            return stale(state, ctx)
        return _ask(state, survey, index, ctx)
    if state.step != STEP or state.data.get("s") != survey.id or state.data.get("q") != index:
        return stale(state, ctx)
    return _act(state, survey, index, action, ctx)


def typed(state: State, event: Event, ctx: Context) -> Outcome:
    """Text typed while a question is being asked."""
    survey = _survey(str(state.data.get("s", "")), ctx)
    index = state.data.get("q")
    if survey is None or not isinstance(index, int) or index >= len(survey.form.questions):
        return stale(state.idle(), ctx)
    if survey.status != OPEN:
        return _closed(state, survey, ctx)
    t = ctx.tr(state.locale)
    question = survey.form.questions[index]
    value, problem = _parse(question, event.text, t)
    if problem:
        return _ask(state, survey, index, ctx, Reply(problem))
    return _accept(state, survey, index, value, ctx)


def ask_again(state: State, _event: Event, ctx: Context) -> Outcome:
    """Ask the current question again (after a sticker, an edited message...)."""
    survey = _survey(str(state.data.get("s", "")), ctx)
    index = state.data.get("q")
    if survey is None or survey.status != OPEN or not isinstance(index, int):
        return show_menu(state, _event, ctx)
    return _ask(state, survey, index, ctx)


def _act(state: State, survey: SurveyView, index: int, action: str, ctx: Context) -> Outcome:
    t = ctx.tr(state.locale)
    question = survey.form.questions[index]
    member_id = _member_id(ctx)
    if action == "back":
        return _ask(state, survey, _previous(survey, index, ctx), ctx)
    if action == "skip":
        if question.required:
            return _ask(state, survey, index, ctx, Reply(t._("Esta pregunta es obligatoria.")))
        ctx.surveys.save(survey.id, member_id, question.name, None)  # type: ignore[union-attr]
        return _next(state, survey, index, ctx)
    if action == "ok":
        if question.type == "select_multiple":
            chosen = _answers(survey, ctx).get(question.name) or []
            if not chosen and question.required:
                return _ask(state, survey, index, ctx, Reply(t._("Marca al menos una opción y luego toca «Listo».")))
            return _accept(state, survey, index, chosen or None, ctx)
        if question.name in _answers(survey, ctx) and question.type != "note":
            return _next(state, survey, index, ctx)  # "Mantener": keep the stored answer
        if question.type == "note":
            ctx.surveys.save(survey.id, member_id, question.name, None)  # type: ignore[union-attr]
            return _next(state, survey, index, ctx)
        return stale(state, ctx)
    choice = _int(action)
    options = question.options
    if choice is None or not 0 <= choice < len(options) or question.type not in (*CHOICE_TYPES, "scale"):
        return stale(state, ctx)
    code = options[choice].name
    if question.type == "select_multiple":
        chosen = list(_answers(survey, ctx).get(question.name) or [])
        chosen = [c for c in chosen if c != code] if code in chosen else [*chosen, code]
        ordered = [o.name for o in options if o.name in chosen]
        ctx.surveys.save(survey.id, member_id, question.name, ordered)  # type: ignore[union-attr]
        return _ask(state, survey, index, ctx, replace=True)
    return _accept(state, survey, index, int(code) if question.type == "scale" else code, ctx)


def _accept(state: State, survey: SurveyView, index: int, value: Any, ctx: Context) -> Outcome:
    """Check the constraint, store the answer, move on."""
    question = survey.form.questions[index]
    answers = {**_answers(survey, ctx), question.name: value}
    if question.constraint is not None and value is not None and not evaluate(question.constraint, answers, value):
        t = ctx.tr(state.locale)
        message = survey.form.text(question.constraint_message, state.locale) or t._(
            "Esa respuesta no es válida. Revísala e inténtalo de nuevo."
        )
        return _ask(state, survey, index, ctx, Reply(message))
    ctx.surveys.save(survey.id, _member_id(ctx), question.name, value)  # type: ignore[union-attr]
    return _next(state, survey, index, ctx)


def _next(state: State, survey: SurveyView, index: int, ctx: Context) -> Outcome:
    """The next unanswered question that applies, or the end of the survey."""
    form, member_id = survey.form, _member_id(ctx)
    answers = _answers(survey, ctx)
    stale_answers = [q.name for i, q in enumerate(form.questions)
                     if q.name in answers and not form.relevant(i, answers)]
    if stale_answers:
        ctx.surveys.forget(survey.id, member_id, stale_answers)  # type: ignore[union-attr]
        answers = {k: v for k, v in answers.items() if k not in stale_answers}
    pending = _pending(form, answers)
    following = [i for i in pending if i > index] or pending
    if following:
        return _ask(state, survey, following[0], ctx)
    first_time = not ctx.surveys.completed(survey.id, member_id)  # type: ignore[union-attr]
    ctx.surveys.set_completed(survey.id, member_id, True)  # type: ignore[union-attr]
    t = ctx.tr(state.locale)
    thanks = t._("¡Gracias! Tus respuestas quedaron guardadas.") if first_time else t._("Listo, cambio guardado.")
    return _review(state, survey, answers, ctx, thanks)


def _enter(state: State, survey: SurveyView, ctx: Context) -> Outcome:
    """Resume at the first unanswered question, or show the answers of a finished survey."""
    answers = _answers(survey, ctx)
    pending = _pending(survey.form, answers)
    if pending:
        t = ctx.tr(state.locale)
        welcome = t._("Seguimos donde quedaste.") if answers else t._(
            "Gracias por participar. Responde con los botones o escribiendo; puedes parar y "
            "seguir otro día."
        )
        return _ask(state, survey, pending[0], ctx, Reply(welcome))
    return _review(state, survey, answers, ctx)


def _review(state: State, survey: SurveyView, answers: dict[str, Any], ctx: Context, before: str = "") -> Outcome:
    """The vecino's answers, with a button to change each one while the survey is open."""
    t = ctx.tr(state.locale)
    form = survey.form
    lines = [before] if before else []
    lines.append(t._("Tus respuestas a «{title}»:", title=form.text(form.title, state.locale)))
    buttons = []
    for number, (index, question) in enumerate(_shown(form, answers), start=1):
        shown = _show(question, answers, form, state.locale, t)
        lines.append(f"{number}. {form.text(question.label, state.locale)} — {shown}")
        buttons.append(Button(t._("Cambiar {number}", number=number), f"{PREFIX}:{survey.id}:{index}:edit"))
    lines.append(t._("Puedes cambiarlas hasta que la encuesta cierre."))
    keyboard = (*rows(*buttons, per_row=4), (Button(t._("Volver al menú"), "menu:"),))
    return say(state.idle(), Reply("\n".join(lines), keyboard))


def _ask(state: State, survey: SurveyView, index: int, ctx: Context, *before: Reply, replace: bool = False) -> Outcome:
    """Show question `index` with its buttons; the state remembers it as the current one."""
    t = ctx.tr(state.locale)
    form, question = survey.form, survey.form.questions[index]
    answers = _answers(survey, ctx)
    shown = [i for i, _ in _shown(form, answers)]
    lines = [form.text(form.title, state.locale)]
    if question.type != "note":
        number = sum(1 for i in shown if i <= index) or 1
        lines.append(t._("Pregunta {number} de {total}", number=number, total=max(len(shown), number)))
    lines.append("")
    lines.append(form.text(question.label, state.locale))
    if question.hint:
        lines.append(form.text(question.hint, state.locale))
    instructions = _instructions(question, t)
    if instructions:
        lines.append(instructions)
    current = answers.get(question.name)
    if current is not None and question.type not in ("select_multiple", "note"):
        lines.append(t._("Tu respuesta actual: {answer}", answer=_show(question, answers, form, state.locale, t)))
    keyboard = _buttons(survey, index, question, current, state.locale, t)
    here = state.at(STEP, s=survey.id, q=index)
    return say(here, *before, Reply("\n".join(lines), keyboard, replace=replace))


def _buttons(survey: SurveyView, index: int, question: Question, current: Any, locale: str,
             t: Translator) -> tuple[tuple[Button, ...], ...]:
    base = f"{PREFIX}:{survey.id}:{index}"
    form = survey.form
    if question.type == "scale":
        keyboard = [tuple(Button(o.name, f"{base}:{n}") for n, o in enumerate(question.options))]
    elif question.type in CHOICE_TYPES:
        chosen = current or [] if question.type == "select_multiple" else []
        keyboard = [(Button(("✅ " if o.name in chosen else "") + form.text(o.label, locale)[:60], f"{base}:{n}"),)
                    for n, o in enumerate(question.options)]
    else:
        keyboard = []
    navigation = []
    if index > 0:
        navigation.append(Button(t._("« Atrás"), f"{base}:back"))
    if question.type == "select_multiple":
        navigation.append(Button(t._("Listo"), f"{base}:ok"))
    elif question.type == "note":
        navigation.append(Button(t._("Continuar"), f"{base}:ok"))
    elif current is not None:
        navigation.append(Button(t._("Mantener"), f"{base}:ok"))
    elif not question.required:
        navigation.append(Button(t._("Omitir"), f"{base}:skip"))
    if navigation:
        keyboard.append(tuple(navigation))
    return tuple(keyboard)


def _instructions(question: Question, t: Translator) -> str:
    return {
        "select_multiple": t._("Puedes marcar varias opciones; luego toca «Listo»."),
        "scale": t._("Elige de 1 (muy mal) a 5 (muy bien)."),
        "text": t._("Escribe tu respuesta."),
        "integer": t._("Escribe un número entero."),
        "decimal": t._("Escribe un número."),
        "date": t._("Escribe la fecha como día-mes-año, por ejemplo 24-12-2026."),
    }.get(question.type, "")


def _parse(question: Question, text: str, t: Translator) -> tuple[Any, str | None]:
    """The typed answer as stored, or a translated explanation of what is wrong."""
    text = text.strip()
    if question.type == "scale" and text in SCALE:
        return int(text), None
    if question.type == "select_one" and text.isdigit() and 1 <= int(text) <= len(question.choices):
        return question.choices[int(text) - 1].name, None
    if question.type in (*CHOICE_TYPES, "scale", "note"):
        return None, t._("Para esta pregunta usa los botones.")
    if not text:
        return None, t._("Escribe tu respuesta.")
    if question.type == "text":
        if len(text) > MAX_TEXT:
            return None, t._("Tu respuesta es muy larga: máximo {max} letras.", max=MAX_TEXT)
        return text, None
    if question.type == "integer":
        compact = re.sub(r"[\s.]", "", text)
        if re.fullmatch(r"-?\d{1,12}", compact):
            return int(compact), None
        return None, t._("Escribe solo un número entero, por ejemplo 3.")
    if question.type == "decimal":
        compact = text.replace(" ", "").replace(",", ".")
        if re.fullmatch(r"-?\d{1,12}(\.\d+)?", compact):
            return float(compact), None
        return None, t._("Escribe solo un número, por ejemplo 2,5.")
    return _date(text, t)


def _date(text: str, t: Translator) -> tuple[Any, str | None]:
    match = re.fullmatch(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})", text) or re.fullmatch(
        r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
    try:
        if match is None:
            raise ValueError
        parts = [int(p) for p in match.groups()]
        day = date(*parts) if len(match.group(1)) == 4 else date(parts[2], parts[1], parts[0])
        return day.isoformat(), None
    except ValueError:
        return None, t._("No entendí la fecha. Escríbela como día-mes-año, por ejemplo 24-12-2026.")


def _show(question: Question, answers: dict[str, Any], form: Form, locale: str, t: Translator) -> str:
    value = answers.get(question.name)
    if value is None or value == []:
        return t._("(sin respuesta)")
    if question.type == "select_one":
        return question.choice_label(str(value), locale, form.default_language)
    if question.type == "select_multiple":
        return ", ".join(question.choice_label(str(v), locale, form.default_language) for v in value)
    if question.type == "decimal":
        return t.number(value)
    if question.type == "date":
        return t.day(date.fromisoformat(str(value)))
    return str(value)


def _pending(form: Form, answers: dict[str, Any]) -> list[int]:
    """Indexes of questions that apply and have no stored answer yet, in order."""
    return [i for i, q in enumerate(form.questions) if q.name not in answers and form.relevant(i, answers)]


def _shown(form: Form, answers: dict[str, Any]) -> list[tuple[int, Question]]:
    """Questions (not notes) that apply to these answers."""
    return [(i, q) for i, q in enumerate(form.questions) if q.type != "note" and form.relevant(i, answers)]


def _previous(survey: SurveyView, index: int, ctx: Context) -> int:
    answers = _answers(survey, ctx)
    earlier = [i for i in range(index) if survey.form.relevant(i, answers)]
    return earlier[-1] if earlier else index


def _closed(state: State, survey: SurveyView, ctx: Context) -> Outcome:
    t = ctx.tr(state.locale)
    if survey.status == CLOSED:
        text = t._("La encuesta «{title}» ya cerró. ¡Gracias por tu interés!",
                   title=survey.form.text(survey.form.title, state.locale))
        return hint(state.idle(), ctx, text)
    return stale(state.idle(), ctx)


def _survey(raw_id: str, ctx: Context) -> SurveyView | None:
    survey_id = _int(raw_id)
    if survey_id is None or ctx.surveys is None or ctx.member is None:
        return None
    survey = ctx.surveys.get(survey_id)
    if survey is None or survey.barrio_id != ctx.member.barrio_id:
        return None
    return survey


def _answers(survey: SurveyView, ctx: Context) -> dict[str, Any]:
    return ctx.surveys.answers(survey.id, _member_id(ctx))  # type: ignore[union-attr]


def _member_id(ctx: Context) -> str:
    assert ctx.member is not None
    return ctx.member.id


def _int(text: str) -> int | None:
    return int(text) if text.isdigit() and len(text) < 10 else None


def _menu(ctx: Context, t: Translator) -> list[Button]:
    return [Button(t._("Encuestas"), f"{PREFIX}:list")] if ctx.surveys is not None else []


FEATURE = Feature(
    name="surveys",
    commands={"encuestas": list_surveys, "surveys": list_surveys, "anket": list_surveys},
    buttons={PREFIX: pressed},
    steps={STEP: typed},
    prompts={STEP: ask_again},
    menu=_menu,
    help=lambda t: [t._("/encuestas — responder las encuestas de tu barrio")],
)
