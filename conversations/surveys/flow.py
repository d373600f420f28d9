"""Answering the barrio's surveys in the chat, one question at a time.

    /encuestas or the menu's "Encuestas"   -> open surveys of the barrio     sv:list
    a survey chosen                        -> resume at the first unanswered sv:<survey>
    a choice pressed                       -> stored at once, next question  sv:<survey>:<q>:<choice>
    Listo / Continuar / Mantener           -> sv:<survey>:<q>:ok
    Omitir / « Atrás                       -> sv:<survey>:<q>:skip, sv:<survey>:<q>:back
    typed text at a text or number step    -> checked, stored, next question
    all answered                           -> thanks and a review with "change" buttons
                                              sv:<survey>:<q>:edit
    before the first sensitive question    -> express consent (Ley 21.719)   sv:<survey>:<q>:consent:yes|no
    «Cambiar mi decisión» in the review    -> the consent step again         sv:<survey>:consent

Every answer is stored when given, so stopping halfway loses nothing: coming back
resumes at the first unanswered question. Buttons carry the question index and are
accepted only while that question is the current one (else menu.stale); a button of a
survey that has closed says so. The table at the bottom (`FLOW`) declares the command,
the button formats and the step.

Sensitive questions (income, health) are asked only with the vecino's express consent,
asked once per survey before the first of them and kept on the response: declining skips
them all (no answer is stored for them, a relevant reading them sees no answer) and the
survey goes on; the review says what was chosen and lets the vecino change it.
"""

from datetime import date
from typing import Any

from conversations.kernel.buttons import Buttons
from conversations.kernel.context import Context
from conversations.kernel.events import Event
from conversations.kernel.feature import Command, Flow, Step
from conversations.kernel.i18n import Translator
from conversations.kernel.menu import hint, menu_button, show_menu, stale
from conversations.kernel.replies import Button, Keyboard, Reply, rows
from conversations.kernel.state import Outcome, State, say
from conversations.surveys.form import CHOICE_TYPES, Choice, Form, Question, QuestionType, number_text
from conversations.surveys.ports import SURVEYS, SurveyStatus, SurveyView
from conversations.surveys.typed import as_number, parse_media, parse_typed, shown_point

STEP = "survey"  # the one step: asking question state.data["q"] of survey state.data["s"]
NUMBER_BUTTONS = ("scale", "range")  # numbers offered as a row of buttons
SEVERAL = ("select_multiple", "rank")  # options pressed one by one, then «Listo»
ACKNOWLEDGED = "OK"  # what an acknowledge stores, as ODK does


def list_surveys(state: State, _event: Event, ctx: Context) -> Outcome:
    """/encuestas or sv:list: the open surveys of the vecino's barrio."""
    t = ctx.tr(state.locale)
    me, port = ctx.me, ctx.port(SURVEYS)
    surveys = port.open_for(me.barrio_id)
    if not surveys:
        return hint(state.idle(), ctx, t._("Por ahora no hay encuestas abiertas en tu barrio."))
    buttons = []
    for survey in surveys:
        title = survey.form.text(survey.form.title, state.locale)
        if port.completed(survey.id, me.id):
            title = t._("{title} (respondida)", title=title)
        buttons.append(Button(title[:60], BUTTONS.data(enter, survey=survey.id)))
    buttons.append(menu_button(t._("Volver al menú")))
    return say(state.idle(), Reply(t._("Encuestas abiertas en tu barrio. Elige una:"), rows(*buttons)))


def enter(state: State, _event: Event, ctx: Context, *, survey: int) -> Outcome:
    """sv:<survey>: resume at the first unanswered question, or show the answers of a finished survey."""
    found = _open(survey, ctx)
    if found is None:
        return _refuse(state, survey, ctx)
    answers = _answers(found, ctx)
    _stamp(found, answers, ctx, QuestionType.START, QuestionType.TODAY)
    pending = _pending(found.form, answers, _declined(found, ctx))
    if not pending:
        return _review(state, found, answers, ctx)
    t = ctx.tr(state.locale)
    resumed = any(q.asked and q.name in answers for q in found.form.questions)
    welcome = t._("Seguimos donde quedaste.") if resumed else t._(
        "Gracias por participar. Responde con los botones o escribiendo; puedes parar y "
        "seguir otro día."
    )
    return _ask(state, found, pending[0], ctx, Reply(welcome))


def choose(state: State, _event: Event, ctx: Context, *, survey: int, q: int, choice: int) -> Outcome:
    """sv:<survey>:<q>:<choice>: an option pressed; stored at once, or toggled in a multiple choice."""
    found = _asking(state, survey, q, ctx)
    if found is None:
        return _refuse(state, survey, ctx)
    question = found.form.questions[q]
    options = found.form.options(q, _answers(found, ctx))
    if choice >= len(options) or question.type not in (*CHOICE_TYPES, *NUMBER_BUTTONS, "rank"):
        return stale(state, ctx)
    code = options[choice].name
    if question.type in SEVERAL:
        return _toggle(state, found, q, code, ctx)
    return _accept(state, found, q, as_number(code) if question.type in NUMBER_BUTTONS else code, ctx)


def confirm(state: State, _event: Event, ctx: Context, *, survey: int, q: int) -> Outcome:
    """sv:<survey>:<q>:ok: «Listo» after a multiple choice, «Continuar» after a note, «Mantener» an answer."""
    found = _asking(state, survey, q, ctx)
    if found is None:
        return _refuse(state, survey, ctx)
    question = found.form.questions[q]
    answers = _answers(found, ctx)
    if question.type in SEVERAL:
        chosen = answers.get(question.name) or []
        ranked_all = len(chosen) == len(found.form.options(q, answers))
        if question.required and (not chosen or (question.type == "rank" and not ranked_all)):
            t = ctx.tr(state.locale)
            message = found.form.say(question.required_message, state.locale, answers) or (
                t._("Ordena todas las opciones y luego toca «Listo».") if question.type == "rank"
                else t._("Marca al menos una opción y luego toca «Listo»."))
            return _ask(state, found, q, ctx, Reply(message))
        return _accept(state, found, q, chosen or None, ctx)
    if question.type == "note":
        _store(found, question.name, None, ctx)
        return _next(state, found, q, ctx)
    if question.type == "acknowledge" and question.name not in answers:
        return _accept(state, found, q, ACKNOWLEDGED, ctx)
    if question.name in answers:
        return _next(state, found, q, ctx)  # "Mantener": keep the stored answer
    proposed = _default(found, q, answers, ctx.tr(state.locale))
    if proposed is not None:
        return _accept(state, found, q, proposed, ctx)  # "Usar: ...": the form's default
    return stale(state, ctx)


def skip(state: State, _event: Event, ctx: Context, *, survey: int, q: int) -> Outcome:
    """sv:<survey>:<q>:skip: «Omitir» an optional question (stored as no answer)."""
    found = _asking(state, survey, q, ctx)
    if found is None:
        return _refuse(state, survey, ctx)
    question = found.form.questions[q]
    if question.required:
        t = ctx.tr(state.locale)
        message = found.form.say(question.required_message, state.locale, _answers(found, ctx))
        return _ask(state, found, q, ctx, Reply(message or t._("Esta pregunta es obligatoria.")))
    _store(found, question.name, None, ctx)
    return _next(state, found, q, ctx)


def back(state: State, _event: Event, ctx: Context, *, survey: int, q: int) -> Outcome:
    """sv:<survey>:<q>:back: «« Atrás» to the previous question that applies."""
    found = _asking(state, survey, q, ctx)
    if found is None:
        return _refuse(state, survey, ctx)
    return _ask(state, found, _previous(found, q, ctx), ctx)


def edit(state: State, _event: Event, ctx: Context, *, survey: int, q: int) -> Outcome:
    """sv:<survey>:<q>:edit: «Cambiar» under the review asks that question again."""
    found = _open(survey, ctx)
    if (found is None or q >= len(found.form.questions) or not found.form.questions[q].asked
            or not found.form.relevant(q, _answers(found, ctx))):
        return _refuse(state, survey, ctx)
    return _ask(state, found, q, ctx)


def consent(state: State, _event: Event, ctx: Context, *, survey: int, q: int, answer: str) -> Outcome:
    """sv:<survey>:<q>:consent:yes|no: the vecino's choice about the sensitive questions, kept for the survey."""
    found = _open(survey, ctx)
    if (found is None or state.step != STEP or state.data.get("s") != survey or state.data.get("q") != q
            or q >= len(found.form.questions) or not found.form.questions[q].sensitive):
        return _refuse(state, survey, ctx)
    port = ctx.port(SURVEYS)
    port.set_consent(found.id, ctx.me.id, answer == "yes")
    if answer == "yes":
        return _ask(state, found, q, ctx)
    answers = _answers(found, ctx)
    given = [item.name for item in found.form.questions if item.sensitive and item.asked and item.name in answers]
    if given:  # a change of mind from the review: what was answered goes
        port.forget(found.id, ctx.me.id, given)
        _recalculate(found, set(given), ctx)
    return _next(state, found, q, ctx)


def reconsider(state: State, _event: Event, ctx: Context, *, survey: int) -> Outcome:
    """sv:<survey>:consent: «Cambiar mi decisión» under the review shows the consent step again."""
    found = _open(survey, ctx)
    if found is None:
        return _refuse(state, survey, ctx)
    applies = found.form.applies(_answers(found, ctx))
    first = next((i for i, q in enumerate(found.form.questions) if q.sensitive and q.asked and applies[i]), None)
    if first is None:
        return stale(state, ctx)
    return _ask_consent(state, found, first, ctx)


def typed(state: State, event: Event, ctx: Context) -> Outcome:
    """Text typed while a question is being asked."""
    current = _answering(state, ctx)
    if isinstance(current, Outcome):
        return current
    survey, index = current
    t = ctx.tr(state.locale)
    options = survey.form.options(index, _answers(survey, ctx))
    value, problem = parse_typed(survey.form.questions[index], options, event.text, t)
    if problem:
        return _ask(state, survey, index, ctx, Reply(problem))
    return _accept(state, survey, index, value, ctx)


def shared(state: State, event: Event, ctx: Context) -> Outcome:
    """A location or a photo sent while a question is being asked: a geopoint's or an image's answer."""
    current = _answering(state, ctx)
    if isinstance(current, Outcome):
        return current
    survey, index = current
    value, problem = parse_media(survey.form.questions[index], event, ctx.tr(state.locale))
    if problem:
        return _ask(state, survey, index, ctx, Reply(problem))
    return _accept(state, survey, index, value, ctx)


def _answering(state: State, ctx: Context) -> tuple[SurveyView, int] | Outcome:
    """The open survey and the question being asked, or what to say instead (stale, closed, consent first)."""
    current = _current(state, ctx)
    if current is None:
        return stale(state.idle(), ctx)
    survey, index = current
    if survey.status != SurveyStatus.OPEN:
        return _closed(state, survey, ctx)
    if not _consented(survey, index, ctx):
        return _ask(state, survey, index, ctx)  # the consent step again: it takes the buttons only
    return current


def ask_again(state: State, event: Event, ctx: Context) -> Outcome:
    """Ask the current question again (after a sticker, an edited message...)."""
    current = _current(state, ctx)
    if current is None or current[0].status != SurveyStatus.OPEN:
        return show_menu(state, event, ctx)
    return _ask(state, *current, ctx)


def _toggle(state: State, survey: SurveyView, index: int, code: str, ctx: Context) -> Outcome:
    """Mark or unmark one option of a multiple choice, stored at once; the question stays."""
    question = survey.form.questions[index]
    chosen = list(_answers(survey, ctx).get(question.name) or [])
    chosen = [c for c in chosen if c != code] if code in chosen else [*chosen, code]
    # a multiple choice keeps the options' order; a ranking, the order they were pressed in
    ordered = chosen if question.type == "rank" else [o.name for o in question.options if o.name in chosen]
    _store(survey, question.name, ordered, ctx)
    return _ask(state, survey, index, ctx, replace=True)


def _accept(state: State, survey: SurveyView, index: int, value: Any, ctx: Context) -> Outcome:
    """Check the constraint, store the answer, move on."""
    question = survey.form.questions[index]
    answers = {**_answers(survey, ctx), question.name: value}
    if value is not None and not survey.form.accepts(index, answers, value):
        t = ctx.tr(state.locale)
        message = survey.form.say(question.constraint_message, state.locale, answers) or t._(
            "Esa respuesta no es válida. Revísala e inténtalo de nuevo."
        )
        return _ask(state, survey, index, ctx, Reply(message))
    _store(survey, question.name, value, ctx)
    return _next(state, survey, index, ctx)


def _store(survey: SurveyView, name: str, value: Any, ctx: Context) -> None:
    """Store one answer, then the calculations that depend on it (only those)."""
    port = ctx.port(SURVEYS)
    port.save(survey.id, ctx.me.id, name, value)
    _recalculate(survey, {name}, ctx)


def _stamp(survey: SurveyView, answers: dict[str, Any], ctx: Context, *kinds: str) -> None:
    """Record the form's `start`/`end`/`today` metadata of these kinds not yet in `answers`, in the barrio's time."""
    moment = ctx.now.astimezone(survey.form.zone).replace(microsecond=0)
    for question in survey.form.questions:
        if question.type in kinds and question.name not in answers:
            _store(survey, question.name, moment.date().isoformat() if question.type == QuestionType.TODAY
                   else moment.isoformat(), ctx)


def _recalculate(survey: SurveyView, changed: set[str], ctx: Context) -> None:
    if not survey.form.calculated:
        return
    port = ctx.port(SURVEYS)
    for name, value in survey.form.recalculate(_answers(survey, ctx), changed).items():
        port.save(survey.id, ctx.me.id, name, value)


def _next(state: State, survey: SurveyView, index: int, ctx: Context) -> Outcome:
    """The next unanswered question that applies, or the end of the survey."""
    form, member_id, port = survey.form, ctx.me.id, ctx.port(SURVEYS)
    answers = _answers(survey, ctx)
    for _ in form.questions:  # forgetting can change a calculation, which can make more answers stale
        applies, questions = form.applies(answers), form.questions
        stale_answers = [questions[i].name for i in form.answerable if not applies[i] and questions[i].name in answers]
        stale_answers += [form.questions[i].name for i in form.filtered
                          if applies[i] and _filtered_out(form, i, answers)]
        if not stale_answers:
            break
        port.forget(survey.id, member_id, stale_answers)
        _recalculate(survey, set(stale_answers), ctx)
        answers = _answers(survey, ctx)
    pending = _pending(form, answers, _declined(survey, ctx))
    following = [i for i in pending if i > index] or pending
    if following:
        return _ask(state, survey, following[0], ctx)
    first_time = not port.completed(survey.id, member_id)
    _stamp(survey, {}, ctx, QuestionType.END)  # each time it is finished or changed, as KoBo's `end`
    answers = _answers(survey, ctx)
    port.set_completed(survey.id, member_id, True)
    t = ctx.tr(state.locale)
    thanks = t._("¡Gracias! Tus respuestas quedaron guardadas.") if first_time else t._("Listo, cambio guardado.")
    return _review(state, survey, answers, ctx, thanks)


def _filtered_out(form: Form, index: int, answers: dict[str, Any]) -> bool:
    """Whether a stored choice is one the question's choice_filter no longer offers (comuna changed)."""
    question, value = form.questions[index], answers.get(form.questions[index].name)
    if question.choice_filter is None or value is None:
        return False
    offered = {o.name for o in form.options(index, answers)}
    return not set(value if isinstance(value, list) else [value]) <= offered


def _review(state: State, survey: SurveyView, answers: dict[str, Any], ctx: Context, before: str = "") -> Outcome:
    """The vecino's answers, with a button to change each one while the survey is open."""
    t = ctx.tr(state.locale)
    form = survey.form
    lines = [before] if before else []
    lines.append(t._("Tus respuestas a «{title}»:", title=form.text(form.title, state.locale)))
    buttons = []
    for number, (index, question) in enumerate(_shown(form, answers, _declined(survey, ctx)), start=1):
        shown = _show(question, answers, form, state.locale, t)
        lines.append(f"{number}. {form.say(question.label, state.locale, answers)} — {shown}")
        buttons.append(Button(t._("Cambiar {number}", number=number), BUTTONS.data(edit, survey=survey.id, q=index)))
    choice = ctx.port(SURVEYS).consent(survey.id, ctx.me.id) if form.sensitive else None
    decision = ()
    if choice is not None:
        topics = ", ".join(form.topics(state.locale))
        lines.append(t._("Aceptaste responder las preguntas sobre: {topics}.", topics=topics) if choice
                     else t._("Elegiste no responder las preguntas sobre: {topics}.", topics=topics))
        decision = ((Button(t._("Cambiar mi decisión"), BUTTONS.data(reconsider, survey=survey.id)),),)
    lines.append(t._("Puedes cambiarlas hasta que la encuesta cierre."))
    keyboard = (*rows(*buttons, per_row=4), *decision, (menu_button(t._("Volver al menú")),))
    return say(state.idle(), Reply("\n".join(lines), keyboard))


def _ask(state: State, survey: SurveyView, index: int, ctx: Context, *before: Reply, replace: bool = False) -> Outcome:
    """Show question `index` with its buttons; the state remembers it as the current one."""
    if not _consented(survey, index, ctx):
        return _ask_consent(state, survey, index, ctx, *before)
    t = ctx.tr(state.locale)
    form, question = survey.form, survey.form.questions[index]
    answers = _answers(survey, ctx)
    shown = [i for i, _ in _shown(form, answers, _declined(survey, ctx))]
    lines = [form.text(form.title, state.locale)]
    if question.type != "note":
        number = sum(1 for i in shown if i <= index) or 1
        lines.append(t._("Pregunta {number} de {total}", number=number, total=max(len(shown), number)))
    lines.append("")
    if question.section and _enters_section(form, index, answers):
        lines.append(f"▸ {form.say(question.section, state.locale, answers)}")
    lines.append(form.say(question.label, state.locale, answers))
    if question.hint:
        lines.append(form.say(question.hint, state.locale, answers))
    instructions = _instructions(question, bool(form.options(index, answers)), t)
    if instructions:
        lines.append(instructions)
    current = answers.get(question.name)
    if current is not None and question.type not in (*SEVERAL, "note"):
        lines.append(t._("Tu respuesta actual: {answer}", answer=_show(question, answers, form, state.locale, t)))
    proposed = _default(survey, index, answers, t)
    suggestion = None if proposed is None else form.show(question.name, proposed, state.locale)
    keyboard = _buttons(survey, index, form.options(index, answers), current, state.locale, t, suggestion)
    here = state.at(STEP, s=survey.id, q=index)
    return say(here, *before, Reply("\n".join(lines), keyboard, replace=replace))


def _ask_consent(state: State, survey: SurveyView, index: int, ctx: Context, *before: Reply) -> Outcome:
    """Before sensitive question `index`: what will be asked and why, to accept or decline."""
    t = ctx.tr(state.locale)
    form = survey.form
    text = "\n".join((
        form.text(form.title, state.locale),
        "",
        t._("Las próximas preguntas son sobre temas sensibles: {topics}.", topics=", ".join(form.topics(state.locale))),
        t._("Las hacemos para conocer la situación de los hogares del barrio y decidir qué se necesita primero. "
            "Tus respuestas no van con tu nombre."),
        t._("Responderlas es voluntario: si prefieres no hacerlo, las saltamos y la encuesta sigue. Puedes "
            "cambiar tu decisión al final, en el resumen de tus respuestas."),
        t._("¿Quieres responderlas?"),
    ))

    def data(answer: str) -> str:
        return BUTTONS.data(consent, survey=survey.id, q=index, answer=answer)

    keyboard = ((Button(t._("Sí, responder"), data("yes")), Button(t._("No, saltarlas"), data("no"))),)
    return say(state.at(STEP, s=survey.id, q=index), *before, Reply(text, keyboard))


def _consented(survey: SurveyView, index: int, ctx: Context) -> bool:
    """Whether question `index` may be asked: it is not sensitive, or the vecino accepted."""
    return not survey.form.questions[index].sensitive or ctx.port(SURVEYS).consent(survey.id, ctx.me.id) is True


def _declined(survey: SurveyView, ctx: Context) -> bool:
    """Whether the vecino declined this survey's sensitive questions (they are then skipped)."""
    return survey.form.sensitive and ctx.port(SURVEYS).consent(survey.id, ctx.me.id) is False


def _enters_section(form: Form, index: int, answers: dict[str, Any]) -> bool:
    """Whether the question is the first one shown of its group (so its heading is shown)."""
    applies = form.applies(answers)
    earlier = next((i for i in range(index - 1, -1, -1) if applies[i] and form.questions[i].asked), None)
    return earlier is None or form.questions[earlier].group != form.questions[index].group


def _default(survey: SurveyView, index: int, answers: dict[str, Any], t: Translator) -> Any:
    """The form's default for an unanswered question, as it would be stored; None if there is none that fits."""
    form, question = survey.form, survey.form.questions[index]
    if question.default is None or question.name in answers or question.type in (
            *SEVERAL, "note", "acknowledge", "calculate"):
        return None
    options = form.options(index, answers)
    if question.type == "select_one" or question.type in NUMBER_BUTTONS:
        if question.default not in {o.name for o in options}:
            return None
        return as_number(question.default) if question.type in NUMBER_BUTTONS else question.default
    value, problem = parse_typed(question, options, question.default, t)
    return None if problem else value


def _buttons(survey: SurveyView, index: int, options: tuple[Choice, ...], current: Any, locale: str,
             t: Translator, suggestion: str | None = None) -> Keyboard:
    form = survey.form
    question = form.questions[index]

    def data(handler: Any, **fields: int) -> str:
        return BUTTONS.data(handler, survey=survey.id, q=index, **fields)

    if question.type in NUMBER_BUTTONS:
        keyboard = list(rows(*(Button(o.name, data(choose, choice=n)) for n, o in enumerate(options)), per_row=6))
    elif question.type in (*CHOICE_TYPES, "rank"):
        chosen = current or [] if question.type in SEVERAL else []
        keyboard = [(Button(_mark(question.type, chosen, o.name) + form.text(o.label, locale)[:60],
                            data(choose, choice=n)),)
                    for n, o in enumerate(options)]
    else:
        keyboard = []
    navigation = []
    if index > 0:
        navigation.append(Button(t._("« Atrás"), data(back)))
    if question.type in SEVERAL:
        navigation.append(Button(t._("Listo"), data(confirm)))
    elif question.type == "note":
        navigation.append(Button(t._("Continuar"), data(confirm)))
    elif current is not None:
        navigation.append(Button(t._("Mantener"), data(confirm)))
    else:
        if question.type == "acknowledge":
            navigation.append(Button(t._("Entendido"), data(confirm)))
        if suggestion is not None:
            navigation.append(Button(t._("Usar: {answer}", answer=suggestion[:40]), data(confirm)))
        if not question.required:
            navigation.append(Button(t._("Omitir"), data(skip)))
    if navigation:
        keyboard.append(tuple(navigation))
    return tuple(keyboard)


def _mark(kind: str, chosen: list[str], code: str) -> str:
    """✅ before a marked option; its place ("2. ") before a ranked one."""
    if code not in chosen:
        return ""
    return f"{chosen.index(code) + 1}. " if kind == "rank" else "✅ "


def _instructions(question: Question, buttons: bool, t: Translator) -> str:
    if question.type == "range" and question.bounds is not None:
        start, end = (number_text(n) for n in question.bounds[:2])
        if buttons:
            return t._("Elige un número de {start} a {end}.", start=start, end=end)
        return t._("Escribe un número de {start} a {end}.", start=start, end=end)
    return {
        "select_multiple": t._("Puedes marcar varias opciones; luego toca «Listo»."),
        "rank": t._("Toca las opciones en orden, de la más importante a la menos; luego toca «Listo»."),
        "scale": t._("Elige de 1 (muy mal) a 5 (muy bien)."),
        "text": t._("Escribe tu respuesta."),
        "integer": t._("Escribe un número entero."),
        "decimal": t._("Escribe un número."),
        "date": t._("Escribe la fecha como día-mes-año, por ejemplo 24-12-2026."),
        "time": t._("Escribe la hora, por ejemplo 18:30."),
        "datetime": t._("Escribe la fecha y la hora, por ejemplo 24-12-2026 18:30."),
        "geopoint": t._("Comparte tu ubicación: toca 📎 y elige «Ubicación». También puedes escribirla como "
                        "latitud, longitud; por ejemplo -33.45, -70.66."),
        "image": t._("Envía una foto. Es opcional: si prefieres no enviarla, toca «Omitir»."),
    }.get(question.type, "")


def _show(question: Question, answers: dict[str, Any], form: Form, locale: str, t: Translator) -> str:
    value = answers.get(question.name)
    if value is None or value == []:
        return t._("(sin respuesta)")
    if question.type == "select_one":
        return question.choice_label(str(value), locale, form.default_language)
    if question.type == "select_multiple":
        return ", ".join(question.choice_label(str(v), locale, form.default_language) for v in value)
    if question.type == "rank":
        return ", ".join(f"{n}. {question.choice_label(str(v), locale, form.default_language)}"
                         for n, v in enumerate(value, start=1))
    if question.type == "decimal":
        return t.number(value)
    if question.type == "date":
        return t.day(date.fromisoformat(str(value)))
    if question.type == "datetime":
        day, _, moment = str(value).partition("T")
        return f"{t.day(date.fromisoformat(day))} {moment}"
    if question.type == "acknowledge":
        return t._("Entendido")
    if question.type == "geopoint":
        return shown_point(str(value))
    if question.type == "image":
        return t._("(foto)")
    return str(value)


def _pending(form: Form, answers: dict[str, Any], declined: bool) -> list[int]:
    """Indexes of questions that apply and have no stored answer yet, in order (not declined ones)."""
    applies, questions = form.applies(answers), form.questions
    return [i for i in form.answerable if applies[i] and questions[i].name not in answers
            and not (declined and questions[i].sensitive)]


def _shown(form: Form, answers: dict[str, Any], declined: bool) -> list[tuple[int, Question]]:
    """Questions (not notes nor calculations, nor declined ones) that apply to these answers."""
    applies, questions = form.applies(answers), form.questions
    return [(i, questions[i]) for i in form.answerable if applies[i] and questions[i].type != "note"
            and not (declined and questions[i].sensitive)]


def _previous(survey: SurveyView, index: int, ctx: Context) -> int:
    answers = _answers(survey, ctx)
    applies = survey.form.applies(answers)
    declined = _declined(survey, ctx)
    earlier = [i for i in range(index) if survey.form.questions[i].asked and applies[i]
               and not (declined and survey.form.questions[i].sensitive)]
    return earlier[-1] if earlier else index


def _closed(state: State, survey: SurveyView, ctx: Context) -> Outcome:
    t = ctx.tr(state.locale)
    if survey.status == SurveyStatus.CLOSED:
        text = t._("La encuesta «{title}» ya cerró. ¡Gracias por tu interés!",
                   title=survey.form.text(survey.form.title, state.locale))
        return hint(state.idle(), ctx, text)
    return stale(state.idle(), ctx)


def _refuse(state: State, survey_id: int, ctx: Context) -> Outcome:
    """A button this survey does not take now: say so if the survey is no longer open, else stale."""
    survey = _survey(survey_id, ctx)
    if survey is None or survey.status == SurveyStatus.OPEN:
        return stale(state, ctx)
    return _closed(state, survey, ctx)


def _survey(survey_id: int, ctx: Context) -> SurveyView | None:
    """The survey, if it belongs to the vecino's barrio."""
    survey = ctx.port(SURVEYS).get(survey_id)
    return survey if survey is not None and survey.barrio_id == ctx.me.barrio_id else None


def _open(survey_id: int, ctx: Context) -> SurveyView | None:
    """The survey, if it is the vecino's barrio's and open."""
    survey = _survey(survey_id, ctx)
    return survey if survey is not None and survey.status == SurveyStatus.OPEN else None


def _asking(state: State, survey_id: int, index: int, ctx: Context) -> SurveyView | None:
    """The open survey, if its question `index` is the one being asked now (with consent, if sensitive)."""
    if state.step != STEP or state.data.get("s") != survey_id or state.data.get("q") != index:
        return None
    survey = _open(survey_id, ctx)
    if survey is None or index >= len(survey.form.questions) or not _consented(survey, index, ctx):
        return None
    return survey


def _current(state: State, ctx: Context) -> tuple[SurveyView, int] | None:
    """The vecino's survey (open or not) and the index of the question the state is asking."""
    survey_id, index = state.data.get("s"), state.data.get("q")
    if not isinstance(survey_id, int) or not isinstance(index, int):
        return None
    survey = _survey(survey_id, ctx)
    if survey is None or not 0 <= index < len(survey.form.questions):
        return None
    return survey, index


def _answers(survey: SurveyView, ctx: Context) -> dict[str, Any]:
    return ctx.port(SURVEYS).answers(survey.id, ctx.me.id)


def _menu(_ctx: Context, t: Translator) -> list[Button]:
    return [Button(t._("Encuestas"), BUTTONS.data(list_surveys))]


BUTTONS = Buttons({
    "sv:list": list_surveys,
    "sv:{survey}": enter,
    "sv:{survey}:{q}:{choice}": choose,
    "sv:{survey}:{q}:ok": confirm,
    "sv:{survey}:{q}:skip": skip,
    "sv:{survey}:{q}:back": back,
    "sv:{survey}:{q}:edit": edit,
    "sv:{survey}:{q}:consent:{answer:yes|no}": consent,
    "sv:{survey}:consent": reconsider,
})

FLOW = Flow(
    name="surveys",
    commands=(
        Command("encuestas", list_surveys, aliases=("surveys", "anket"),
                about=lambda t: t._("Responder las encuestas del barrio")),
    ),
    buttons=BUTTONS,
    steps={STEP: Step(on_text=typed, again=ask_again, on_media=shared)},
    menu=_menu,
)
