"""Answering the barrio's surveys in the chat, one question at a time.

    /encuestas or the menu's "Encuestas"   -> open surveys of the barrio     sv:list
    a survey chosen                        -> resume at the first unanswered sv:<survey>
    a choice pressed                       -> stored at once, next question  sv:<survey>:<q>:<choice>
    Listo / Continuar / Mantener           -> sv:<survey>:<q>:ok
    Omitir / « Atrás                       -> sv:<survey>:<q>:skip, sv:<survey>:<q>:back
    typed text at a text or number step    -> checked, stored, next question
    a choice typed ("2", "a veces", "1, 3") -> as if pressed (matching.py); a multiple choice: as «Listo»
    all answered                           -> thanks and a review with "change" buttons
                                              sv:<survey>:<q>:edit
    before the first sensitive question    -> express consent (Ley 21.719)   sv:<survey>:<q>:consent:yes|no
    «Cambiar mi decisión» in the review    -> the consent step again         sv:<survey>:consent
    a closed survey's published results    -> listed under /encuestas        sv:<survey>:results

Every answer is stored when given, so stopping halfway loses nothing: coming back
resumes at the first unanswered question. Buttons carry the place asked (`<q>`: the
question's index, plus 10,000 times its instance inside a repeat, see form.Place) and are
accepted only while that place is the current one (else menu.stale); a button of a
survey that has closed says so.

A repeat (a household's members) asks its questions once per instance, "Persona 2 de 4":
as many as its repeat_count says, else after each instance «¿Quieres agregar otra
entrada?» (stored at `<repeat>#<instance>`, True or False). Atrás, the review and its
«Cambiar» go through every instance; answers inside a repeat are stored per instance.
The table at the bottom (`FLOW`) declares the command, the button formats and the step.

Sensitive questions (income, health) are asked only with the vecino's express consent,
asked once per survey before the first of them and kept on the response: declining skips
them all (no answer is stored for them, a relevant reading them sees no answer) and the
survey goes on; the review says what was chosen and lets the vecino change it.
"""

from bisect import bisect_left, bisect_right
from collections.abc import Mapping
from datetime import date
from itertools import chain, islice
from typing import Any

from conversations.kernel.buttons import Buttons
from conversations.kernel.context import Context
from conversations.kernel.events import Event
from conversations.kernel.feature import Command, Entry, Flow, Step
from conversations.kernel.i18n import SOURCE_LOCALE, Translator
from conversations.kernel.menu import hint, menu_button, show_menu, stale
from conversations.kernel.replies import Button, Keyboard, Reply, rows
from conversations.kernel.state import Outcome, State, say
from conversations.surveys.answers import Answers
from conversations.surveys.form import Form
from conversations.surveys.matching import match_one, plain
from conversations.surveys.ports import SURVEYS, SurveyStatus, SurveyView
from conversations.surveys.questions import CHOICE_TYPES, Choice, Place, Question, QuestionType, number_text, split_key
from conversations.surveys.texts import instance_title
from conversations.surveys.typed import as_number, parse_media, parse_typed, shown_point

MAX_RESULTS = 5  # published summaries listed under /encuestas, the latest first
STEP = "survey"  # the one step: asking question state.data["q"] of survey state.data["s"]
NUMBER_BUTTONS = ("scale", "range")  # numbers offered as a row of buttons
SEVERAL = ("select_multiple", "rank")  # options pressed one by one, then «Listo»
ACKNOWLEDGED = "OK"  # what an acknowledge stores, as ODK does
ANOTHER = "yes"  # a repeat's own question answered "add another"; stored True (False: no more)


def list_surveys(state: State, _event: Event, ctx: Context) -> Outcome:
    """/encuestas or sv:list: the open surveys of the vecino's barrio, and the results published of closed ones."""
    t = ctx.tr(state.locale)
    me, port = ctx.me, ctx.port(SURVEYS)
    surveys, published = port.open_for(me.barrio_id), port.published_for(me.barrio_id)[:MAX_RESULTS]
    if not surveys and not published:
        return hint(state.idle(), ctx, t._("Por ahora no hay encuestas abiertas en tu barrio."))
    buttons = []
    for survey in surveys:
        title = survey.form.text(survey.form.title, state.locale)
        if port.completed(survey.id, me.id):
            title = t._("{title} (respondida)", title=title)
        buttons.append(Button(title[:60], BUTTONS.data(enter, survey=survey.id)))
    for survey in published:
        title = t._("📊 Resultados: {title}", title=survey.form.text(survey.form.title, state.locale))
        buttons.append(Button(title[:60], BUTTONS.data(results, survey=survey.id)))
    buttons.append(menu_button(t._("Volver al menú")))
    if not published:
        text = t._("Encuestas abiertas en tu barrio. Elige una:")
    elif not surveys:
        text = t._("Por ahora no hay encuestas abiertas en tu barrio. Puedes ver los resultados de las que cerraron:")
    else:
        text = t._("Encuestas abiertas en tu barrio, y los resultados de las que cerraron. Elige una:")
    return say(state.idle(), Reply(text, rows(*buttons)))


def results(state: State, _event: Event, ctx: Context, *, survey: int) -> Outcome:
    """sv:<survey>:results: the results summary staff published for a closed survey, in the vecino's language."""
    found = _survey(survey, ctx)
    texts = ctx.port(SURVEYS).summary(survey) if found is not None and found.status == SurveyStatus.CLOSED else None
    if not texts:
        return stale(state, ctx)
    t = ctx.tr(state.locale)
    text = texts.get(state.locale) or texts.get(SOURCE_LOCALE) or next(iter(texts.values()))
    keyboard = ((Button(t._("« Encuestas"), BUTTONS.data(list_surveys)), menu_button(t._("Volver al menú"))),)
    return say(state.idle(), Reply(text, keyboard))


def enter(state: State, _event: Event, ctx: Context, *, survey: int) -> Outcome:
    """sv:<survey>: resume at the first unanswered question, or show the answers of a finished survey."""
    found = _open(survey, ctx)
    if found is None:
        return _refuse(state, survey, ctx)
    answers = _answers(found, ctx)
    _stamp(found, answers, ctx, QuestionType.START, QuestionType.TODAY)
    pending = _unanswered(found.form, answers, _declined(found, ctx))
    if pending is None:
        return _review(state, found, answers, ctx)
    t = ctx.tr(state.locale)
    resumed = any(q.asked and q.name in answers for q in found.form.questions)
    welcome = t._("Seguimos donde quedaste.") if resumed else t._(
        "Gracias por participar. Responde con los botones o escribiendo; puedes parar y "
        "seguir otro día."
    )
    return _ask(state, found, pending, ctx, Reply(welcome))


def choose(state: State, _event: Event, ctx: Context, *, survey: int, q: int, choice: int) -> Outcome:
    """sv:<survey>:<q>:<choice>: an option pressed; stored at once, or toggled in a multiple choice."""
    found = _asking(state, survey, q, ctx)
    if found is None:
        return _refuse(state, survey, ctx)
    place = Place.of(q)
    question = found.form.questions[place.index]
    options = _options(found.form, place, _answers(found, ctx))
    if choice >= len(options) or question.type not in (*CHOICE_TYPES, *NUMBER_BUTTONS, "rank", "repeat"):
        return stale(state, ctx)
    code = options[choice].name
    if question.type in SEVERAL:
        return _toggle(state, found, place, code, ctx)
    if question.type == "repeat":
        return _accept(state, found, place, code == ANOTHER, ctx)
    return _accept(state, found, place, as_number(code) if question.type in NUMBER_BUTTONS else code, ctx)


def confirm(state: State, _event: Event, ctx: Context, *, survey: int, q: int) -> Outcome:
    """sv:<survey>:<q>:ok: «Listo» after a multiple choice, «Continuar» after a note, «Mantener» an answer."""
    found = _asking(state, survey, q, ctx)
    if found is None:
        return _refuse(state, survey, ctx)
    form, place = found.form, Place.of(q)
    question, key = form.questions[place.index], form.key(place)
    answers = _answers(found, ctx)
    if question.type in SEVERAL:
        chosen = answers.get(key) or []
        ranked_all = len(chosen) == len(_options(form, place, answers))
        if question.required and (not chosen or (question.type == "rank" and not ranked_all)):
            t = ctx.tr(state.locale)
            message = form.say(question.required_message, state.locale, form.seen(answers, place)) or (
                t._("Ordena todas las opciones y luego toca «Listo».") if question.type == "rank"
                else t._("Marca al menos una opción y luego toca «Listo»."))
            return _ask(state, found, place, ctx, Reply(message))
        return _accept(state, found, place, chosen or None, ctx)
    if question.type == "note":
        _store(found, key, None, ctx)
        return _next(state, found, place, ctx)
    if question.type == "acknowledge" and key not in answers:
        return _accept(state, found, place, ACKNOWLEDGED, ctx)
    if key in answers:
        return _next(state, found, place, ctx)  # "Mantener": keep the stored answer
    proposed = _default(found, place, answers, ctx.tr(state.locale))
    if proposed is not None:
        return _accept(state, found, place, proposed, ctx)  # "Usar: ...": the form's default
    return stale(state, ctx)


def skip(state: State, _event: Event, ctx: Context, *, survey: int, q: int) -> Outcome:
    """sv:<survey>:<q>:skip: «Omitir» an optional question (stored as no answer)."""
    found = _asking(state, survey, q, ctx)
    if found is None:
        return _refuse(state, survey, ctx)
    form, place = found.form, Place.of(q)
    question = form.questions[place.index]
    if question.required or question.type == "repeat":
        t = ctx.tr(state.locale)
        message = form.say(question.required_message, state.locale, form.seen(_answers(found, ctx), place))
        return _ask(state, found, place, ctx, Reply(message or t._("Esta pregunta es obligatoria.")))
    _store(found, form.key(place), None, ctx)
    return _next(state, found, place, ctx)


def back(state: State, _event: Event, ctx: Context, *, survey: int, q: int) -> Outcome:
    """sv:<survey>:<q>:back: «« Atrás» to the previous question that applies (across a repeat's instances)."""
    found = _asking(state, survey, q, ctx)
    if found is None:
        return _refuse(state, survey, ctx)
    return _ask(state, found, _previous(found, Place.of(q), ctx), ctx)


def edit(state: State, _event: Event, ctx: Context, *, survey: int, q: int) -> Outcome:
    """sv:<survey>:<q>:edit: «Cambiar» under the review asks that question (in that instance) again."""
    found, place = _open(survey, ctx), Place.of(q)
    if found is None or place not in _shown(found.form, _answers(found, ctx), _declined(found, ctx)):
        return _refuse(state, survey, ctx)
    return _ask(state, found, place, ctx)


def consent(state: State, _event: Event, ctx: Context, *, survey: int, q: int, answer: str) -> Outcome:
    """sv:<survey>:<q>:consent:yes|no: the vecino's choice about the sensitive questions, kept for the survey."""
    found = _open(survey, ctx)
    place = Place.of(q)
    if (found is None or state.step != STEP or state.data.get("s") != survey or state.data.get("q") != q
            or place.index >= len(found.form.questions) or not found.form.questions[place.index].sensitive):
        return _refuse(state, survey, ctx)
    port = ctx.port(SURVEYS)
    port.set_consent(found.id, ctx.me.id, answer == "yes")
    if answer == "yes":
        return _ask(state, found, place, ctx)
    form, answers = found.form, _answers(found, ctx)
    given = [form.key(p) for p, _ in form.walk(answers) if _sensitive(form, p) and form.key(p) in answers]
    if given:  # a change of mind from the review: what was answered goes
        port.forget(found.id, ctx.me.id, given)
        _recalculate(found, set(given), ctx)
    return _next(state, found, place, ctx)


def reconsider(state: State, _event: Event, ctx: Context, *, survey: int) -> Outcome:
    """sv:<survey>:consent: «Cambiar mi decisión» under the review shows the consent step again."""
    found = _open(survey, ctx)
    if found is None:
        return _refuse(state, survey, ctx)
    form = found.form
    first = next((p for p, holds in form.walk(_answers(found, ctx)) if holds and _sensitive(form, p)), None)
    if first is None:
        return stale(state, ctx)
    return _ask_consent(state, found, first, ctx)


def typed(state: State, event: Event, ctx: Context) -> Outcome:
    """Text typed while a question is being asked."""
    current = _answering(state, ctx, event)
    if isinstance(current, Outcome):
        return current
    survey, place = current
    t = ctx.tr(state.locale)
    question = survey.form.questions[place.index]
    finish = {"select_multiple": t._("Listo"), "rank": t._("Listo"), "note": t._("Continuar")}.get(question.type)
    if finish is not None and plain(event.text) == plain(finish):  # the button's label typed: as if pressed
        return confirm(state, event, ctx, survey=survey.id, q=place.number)
    options = _options(survey.form, place, _answers(survey, ctx))
    value, problem = parse_typed(survey.form.questions[place.index], options, event.text, t,
                                 survey.form.default_language)
    if problem:
        return _ask(state, survey, place, ctx, Reply(problem))
    return _accept(state, survey, place, value, ctx)


def shared(state: State, event: Event, ctx: Context) -> Outcome:
    """A location or a photo sent while a question is being asked: a geopoint's or an image's answer."""
    current = _answering(state, ctx)
    if isinstance(current, Outcome):
        return current
    survey, place = current
    value, problem = parse_media(survey.form.questions[place.index], event, ctx.tr(state.locale), ctx.max_photo_mb)
    if problem:
        return _ask(state, survey, place, ctx, Reply(problem))
    return _accept(state, survey, place, value, ctx)


def _answering(state: State, ctx: Context, event: Event | None = None) -> tuple[SurveyView, Place] | Outcome:
    """The open survey and the question being asked, or what to say instead (stale, closed, consent first:
    a typed `event` may answer the consent step)."""
    current = _current(state, ctx)
    if current is None:
        return stale(state.idle(), ctx)
    survey, place = current
    if survey.status != SurveyStatus.OPEN:
        return _closed(state, survey, ctx)
    if not _consented(survey, place, ctx):
        if event is not None and event.text:
            return _typed_consent(state, event, survey, place, ctx)  # a yes or a no typed
        return _ask(state, survey, place, ctx)  # the consent step again
    return current


def _typed_consent(state: State, event: Event, survey: SurveyView, place: Place, ctx: Context) -> Outcome:
    """The consent step answered by typing: "si", "No", "wi", "yes" read as its buttons' labels (or their number,
    a clear beginning or spelling); anything else gets a hint and the step again. Only an answer that names one
    button counts: consent stays express."""
    if ctx.port(SURVEYS).consent(survey.id, ctx.me.id) is not None:
        return _ask(state, survey, place, ctx)
    t = ctx.tr(state.locale)
    options = [Choice(answer, {state.locale: label}) for answer, label in _consent_labels(t)]
    answer, _problem = match_one(event.text, options, state.locale, state.locale, t)
    if answer is None:
        return _ask(state, survey, place, ctx, Reply(t._("Toca un botón, o escribe «sí» o «no».")))
    return consent(state, event, ctx, survey=survey.id, q=place.number, answer=answer)


def _consent_labels(t: Translator) -> tuple[tuple[str, str], tuple[str, str]]:
    return ("yes", t._("Sí, responder")), ("no", t._("No, saltarlas"))


def ask_again(state: State, event: Event, ctx: Context) -> Outcome:
    """Ask the current question again (after a sticker, an edited message...)."""
    current = _current(state, ctx)
    if current is None or current[0].status != SurveyStatus.OPEN:
        return show_menu(state, event, ctx)
    return _ask(state, *current, ctx)


def _toggle(state: State, survey: SurveyView, place: Place, code: str, ctx: Context) -> Outcome:
    """Mark or unmark one option of a multiple choice, stored at once; the question stays."""
    form, key = survey.form, survey.form.key(place)
    question = form.questions[place.index]
    chosen = list(_answers(survey, ctx).get(key) or [])
    chosen = [c for c in chosen if c != code] if code in chosen else [*chosen, code]
    # a multiple choice keeps the options' order; a ranking, the order they were pressed in
    ordered = chosen if question.type == "rank" else [o.name for o in question.options if o.name in chosen]
    _store(survey, key, ordered, ctx)
    return _ask(state, survey, place, ctx, replace=True)


def _accept(state: State, survey: SurveyView, place: Place, value: Any, ctx: Context) -> Outcome:
    """Check the constraint, store the answer, move on."""
    form, key = survey.form, survey.form.key(place)
    question = form.questions[place.index]
    answers = form.seen(Answers.of(_answers(survey, ctx)).but({key: value}), place)
    if value is not None and not form.accepts(place.index, answers, value):
        t = ctx.tr(state.locale)
        message = form.say(question.constraint_message, state.locale, answers) or t._(
            "Esa respuesta no es válida. Revísala e inténtalo de nuevo."
        )
        return _ask(state, survey, place, ctx, Reply(message))
    _store(survey, key, value, ctx)
    return _next(state, survey, place, ctx)


def _store(survey: SurveyView, key: str, value: Any, ctx: Context) -> None:
    """Store one answer (a photo's copy is due, or no longer wanted), then the calculations that depend on it."""
    port = ctx.port(SURVEYS)
    port.save(survey.id, ctx.me.id, key, value)
    asked = survey.form.question(split_key(key)[0])
    if asked is not None and asked.type == QuestionType.IMAGE:
        port.keep_photo(survey.id, ctx.me.id, key, value)
    _recalculate(survey, {key}, ctx)


def _stamp(survey: SurveyView, answers: Mapping[str, Any], ctx: Context, *kinds: str) -> None:
    """Record the form's `start`/`end`/`today` metadata of these kinds not yet in `answers`, in the barrio's time."""
    moment = ctx.now.astimezone(survey.form.zone).replace(microsecond=0)
    for question in (survey.form.questions[index] for index in survey.form.stamped):
        if question.type in kinds and question.name not in answers:
            _store(survey, question.name, moment.date().isoformat() if question.type == QuestionType.TODAY
                   else moment.isoformat(), ctx)


def _recalculate(survey: SurveyView, changed: set[str], ctx: Context) -> None:
    if not survey.form.calculated:
        return
    port = ctx.port(SURVEYS)
    for key, value in survey.form.recalculate(_answers(survey, ctx), changed).items():
        port.save(survey.id, ctx.me.id, key, value)


def _next(state: State, survey: SurveyView, place: Place, ctx: Context) -> Outcome:
    """The next unanswered question that applies, or the end of the survey."""
    form, member_id, port = survey.form, ctx.me.id, ctx.port(SURVEYS)
    answers = _answers(survey, ctx)
    for _ in form.questions:  # forgetting can change a calculation, which can make more answers stale
        stale_answers = form.stale(answers)
        if form.filtered:
            stale_answers += [form.key(p) for p in form.evaluation(answers).filtered
                              if _filtered_out(form, p, answers)]
        if not stale_answers:
            break
        port.forget(survey.id, member_id, stale_answers)
        _recalculate(survey, set(stale_answers), ctx)
        answers = _answers(survey, ctx)
    following = _unanswered(form, answers, _declined(survey, ctx), place)
    if following is not None:
        return _ask(state, survey, following, ctx)
    return finish(state, survey, ctx)


def finish(state: State, survey: SurveyView, ctx: Context) -> Outcome:
    """Every question answered: the response is complete; thanks, and the review of the answers."""
    port, member_id = ctx.port(SURVEYS), ctx.me.id
    first_time = not port.completed(survey.id, member_id)
    _stamp(survey, {}, ctx, QuestionType.END)  # each time it is finished or changed, as KoBo's `end`
    port.set_completed(survey.id, member_id, True)
    t = ctx.tr(state.locale)
    thanks = t._("¡Gracias! Tus respuestas quedaron guardadas.") if first_time else t._("Listo, cambio guardado.")
    return _review(state, survey, _answers(survey, ctx), ctx, thanks)


def question(state: State, survey: SurveyView, index: int, ctx: Context) -> Outcome:
    """Question `index` as the chat asks it (inside a repeat: its first instance), after the consent step
    if it is sensitive and not yet accepted (the staff console's preview shows each question this way)."""
    return _ask(state, survey, Place(index, 1 if survey.form.questions[index].repeat else 0), ctx)


def _filtered_out(form: Form, place: Place, answers: Mapping[str, Any]) -> bool:
    """Whether a stored choice is one the question's choice_filter no longer offers (comuna changed)."""
    question, value = form.questions[place.index], answers.get(form.key(place))
    if question.choice_filter is None or value is None:
        return False
    offered = {o.name for o in _options(form, place, answers)}
    return not set(value if isinstance(value, list) else [value]) <= offered


def _review(state: State, survey: SurveyView, answers: Mapping[str, Any], ctx: Context, before: str = "") -> Outcome:
    """The vecino's answers, with a button to change each one while the survey is open."""
    t = ctx.tr(state.locale)
    form = survey.form
    lines = [before] if before else []
    lines.append(t._("Tus respuestas a «{title}»:", title=form.text(form.title, state.locale)))
    buttons = []
    for number, place in enumerate(_shown(form, answers, _declined(survey, ctx)), start=1):
        question, seen = form.questions[place.index], form.seen(answers, place)
        label = (_another(form, place, answers, state.locale, t) if question.type == "repeat"
                 else form.say(question.label, state.locale, seen))
        if place.instance:
            label = f"{_instance(form, place, answers, t)} · {label}"
        lines.append(f"{number}. {label} — {_show(question, answers.get(form.key(place)), form, state.locale, t)}")
        buttons.append(Button(t._("Cambiar {number}", number=number),
                              BUTTONS.data(edit, survey=survey.id, q=place.number)))
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


def _ask(state: State, survey: SurveyView, place: Place, ctx: Context, *before: Reply,
         replace: bool = False) -> Outcome:
    """Show the question at `place` with its buttons; the state remembers it as the current one."""
    if not _consented(survey, place, ctx):
        return _ask_consent(state, survey, place, ctx, *before)
    t = ctx.tr(state.locale)
    form, question = survey.form, survey.form.questions[place.index]
    answers = _answers(survey, ctx)
    seen = form.seen(answers, place)
    shown = _shown(form, answers, _declined(survey, ctx))
    lines = [form.text(form.title, state.locale)]
    if question.type != "note":
        number = bisect_right(shown, form.order(place), key=form.order) or 1
        lines.append(t._("Pregunta {number} de {total}", number=number, total=max(len(shown), number)))
    lines.append("")
    if place.instance:
        lines.append(f"▸ {_instance(form, place, answers, t)}")
    heading = question.section and not (place.instance and question.section == _repeat(form, place).section)
    if heading and _enters_section(form, place, answers):  # inside a repeat: a group's heading, not the repeat's
        lines.append(f"▸ {form.say(question.section, state.locale, seen)}")
    if question.type == "repeat":
        lines.append(_another(form, place, answers, state.locale, t))
    else:
        lines.append(form.say(question.label, state.locale, seen))
    if question.hint:
        lines.append(form.say(question.hint, state.locale, seen))
    options = _options(form, place, answers)
    instructions = _instructions(question, bool(options), t, form, state.locale)
    if instructions:
        lines.append(instructions)
    current = answers.get(form.key(place))
    if current is not None and question.type not in (*SEVERAL, "note"):
        lines.append(t._("Tu respuesta actual: {answer}", answer=_show(question, current, form, state.locale, t)))
    proposed = _default(survey, place, answers, t)
    suggestion = None if proposed is None else form.show(question.name, proposed, state.locale)
    first = place == next(iter(form.holding(answers)), place)
    keyboard = _buttons(survey, place, options, current, state.locale, t, suggestion, first)
    here = state.at(STEP, s=survey.id, q=place.number)
    return say(here, *before, Reply("\n".join(lines), keyboard, replace=replace))


def _instance(form: Form, place: Place, answers: Mapping[str, Any], t: Translator) -> str:
    """Which instance of its repeat a question is asked in: "Persona 2 de 4" (or "Persona 2" while open-ended)."""
    own = _repeat(form, place)
    total = None if own.repeat_count is None else form.instances(answers, own.name)
    return instance_title(t, form, own.name, place.instance, form.seen(answers, place), total)


def _repeat(form: Form, place: Place) -> Question:
    """The own question of the repeat around `place` (its label, its repeat_count)."""
    return form.questions[form.repeats[form.questions[place.index].repeat][1]]


def _another(form: Form, place: Place, answers: Mapping[str, Any], locale: str, t: Translator) -> str:
    """A repeat's own question, after each instance: add another one?"""
    question = form.questions[place.index]
    label = form.say(question.label, locale, form.seen(answers, place)) or question.name
    return t._("«{label}»: llevas {count}. ¿Quieres agregar otra entrada?", label=label, count=place.instance)


def _ask_consent(state: State, survey: SurveyView, place: Place, ctx: Context, *before: Reply) -> Outcome:
    """Before the sensitive question at `place`: what will be asked and why, to accept or decline."""
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
        return BUTTONS.data(consent, survey=survey.id, q=place.number, answer=answer)

    keyboard = (tuple(Button(label, data(answer)) for answer, label in _consent_labels(t)),)
    return say(state.at(STEP, s=survey.id, q=place.number), *before, Reply(text, keyboard))


def _sensitive(form: Form, place: Place) -> bool:
    question = form.questions[place.index]
    return question.sensitive and question.asked


def _consented(survey: SurveyView, place: Place, ctx: Context) -> bool:
    """Whether the question at `place` may be asked: it is not sensitive, or the vecino accepted."""
    return (not survey.form.questions[place.index].sensitive
            or ctx.port(SURVEYS).consent(survey.id, ctx.me.id) is True)


def _declined(survey: SurveyView, ctx: Context) -> bool:
    """Whether the vecino declined this survey's sensitive questions (they are then skipped)."""
    return survey.form.sensitive and ctx.port(SURVEYS).consent(survey.id, ctx.me.id) is False


def _enters_section(form: Form, place: Place, answers: Mapping[str, Any]) -> bool:
    """Whether the question is the first one shown of its group (so its heading is shown)."""
    holding = form.holding(answers)
    before = bisect_left(holding, form.order(place), key=form.order)
    if before == 0:
        return True
    last = holding[before - 1]
    return form.questions[last.index].group != form.questions[place.index].group or last.instance != place.instance


def _options(form: Form, place: Place, answers: Mapping[str, Any]) -> tuple[Choice, ...]:
    """The buttons offered at `place` (a repeat's own question: add another, or go on)."""
    if form.questions[place.index].type == "repeat":
        return (Choice(ANOTHER, {}), Choice("no", {}))
    return form.options(place.index, form.seen(answers, place))


def _default(survey: SurveyView, place: Place, answers: Mapping[str, Any], t: Translator) -> Any:
    """The form's default for an unanswered question, as it would be stored; None if there is none that fits."""
    form, question = survey.form, survey.form.questions[place.index]
    if question.default is None or form.key(place) in answers or question.type in (
            *SEVERAL, "note", "acknowledge", "calculate", "repeat"):
        return None
    options = _options(form, place, answers)
    if question.type == "select_one" or question.type in NUMBER_BUTTONS:
        if question.default not in {o.name for o in options}:
            return None
        return as_number(question.default) if question.type in NUMBER_BUTTONS else question.default
    value, problem = parse_typed(question, options, question.default, t, form.default_language)
    return None if problem else value


def _buttons(survey: SurveyView, place: Place, options: tuple[Choice, ...], current: Any, locale: str,
             t: Translator, suggestion: str | None = None, first: bool = False) -> Keyboard:
    form = survey.form
    question = form.questions[place.index]

    def data(handler: Any, **fields: int) -> str:
        return BUTTONS.data(handler, survey=survey.id, q=place.number, **fields)

    if question.type in NUMBER_BUTTONS:
        keyboard = list(rows(*(Button(o.name, data(choose, choice=n)) for n, o in enumerate(options)), per_row=6))
    elif question.type in (*CHOICE_TYPES, "rank"):
        chosen = current or [] if question.type in SEVERAL else []
        numbered = question.type in CHOICE_TYPES  # the number a vecino may type instead
        keyboard = [(Button(_mark(question.type, chosen, o.name) + (f"{n + 1}. " if numbered else "")
                            + form.text(o.label, locale)[:60], data(choose, choice=n)),)
                    for n, o in enumerate(options)]
    elif question.type == "repeat":
        keyboard = [(Button(t._("Sí, agregar otra"), data(choose, choice=0)),
                     Button(t._("No, seguir"), data(choose, choice=1)))]
    else:
        keyboard = []
    navigation = []
    if not first:
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
        if not question.required and question.type != "repeat":
            navigation.append(Button(t._("Omitir"), data(skip)))
    if navigation:
        keyboard.append(tuple(navigation))
    return tuple(keyboard)


def _mark(kind: str, chosen: list[str], code: str) -> str:
    """✅ before a marked option; its place ("2. ") before a ranked one."""
    if code not in chosen:
        return ""
    return f"{chosen.index(code) + 1}. " if kind == "rank" else "✅ "


def _instructions(question: Question, buttons: bool, t: Translator, form: Form, locale: str) -> str:
    if question.type == "scale":
        ends = form.anchors(question, locale)
        if ends is None:
            return t._("Elige un número del 1 al 5.")
        return t._("Elige de 1 ({low}) a 5 ({high}).", low=ends[0], high=ends[1])
    if question.type == "range" and question.bounds is not None:
        start, end = (number_text(n) for n in question.bounds[:2])
        if buttons:
            return t._("Elige un número de {start} a {end}.", start=start, end=end)
        return t._("Escribe un número de {start} a {end}.", start=start, end=end)
    # only the one needed is translated (each costs a catalog lookup, on every question asked)
    words = {
        "select_multiple": lambda: t._("Puedes marcar varias opciones; luego toca «Listo»."),
        "rank": lambda: t._("Toca las opciones en orden, de la más importante a la menos; luego toca «Listo»."),
        "text": lambda: t._("Escribe tu respuesta."),
        "integer": lambda: t._("Escribe un número entero."),
        "decimal": lambda: t._("Escribe un número."),
        "date": lambda: t._("Escribe la fecha como día-mes-año, por ejemplo 24-12-2026."),
        "time": lambda: t._("Escribe la hora, por ejemplo 18:30."),
        "datetime": lambda: t._("Escribe la fecha y la hora, por ejemplo 24-12-2026 18:30."),
        "geopoint": lambda: t._("Comparte tu ubicación: toca 📎 y elige «Ubicación». También puedes escribirla como "
                                      "latitud, longitud; por ejemplo -33.45, -70.66."),
        "image": lambda: t._("Envía una foto. Es opcional: si prefieres no enviarla, toca «Omitir»."),
    }.get(question.type)
    return "" if words is None else words()


def _show(question: Question, value: Any, form: Form, locale: str, t: Translator) -> str:
    if value is None or value == []:
        return t._("(sin respuesta)")
    if question.type == "repeat":
        return t._("Sí") if value else t._("No")
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


def _unanswered(form: Form, answers: Mapping[str, Any], declined: bool, after: Place | None = None) -> Place | None:
    """The first place after `after` (else, or when none is left after it, from the start) that applies and has
    no stored answer yet (not a declined one); None when every place is answered."""
    holding = form.holding(answers)
    start = 0 if after is None else bisect_right(holding, form.order(after), key=form.order)
    for place in chain(islice(holding, start, None), islice(holding, start)):  # no copies: mostly the first is it
        if form.key(place) not in answers and not (declined and form.questions[place.index].sensitive):
            return place
    return None


def _shown(form: Form, answers: Mapping[str, Any], declined: bool) -> tuple[Place, ...]:
    """Places (not notes nor calculations, nor declined ones) that apply to these answers, in order."""
    listed = form.listed(answers)
    return tuple(p for p in listed if not form.questions[p.index].sensitive) if declined else listed


def _previous(survey: SurveyView, place: Place, ctx: Context) -> Place:
    form = survey.form
    declined = _declined(survey, ctx)
    holding = form.holding(_answers(survey, ctx))
    before = bisect_left(holding, form.order(place), key=form.order)
    return next((p for p in reversed(holding[:before])
                 if not (declined and form.questions[p.index].sensitive)), place)


def _closed(state: State, survey: SurveyView, ctx: Context) -> Outcome:
    t = ctx.tr(state.locale)
    if survey.status == SurveyStatus.CLOSED:
        text = t._("La encuesta «{title}» ya cerró. ¡Gracias por tu interés!",
                   title=survey.form.text(survey.form.title, state.locale))
        if ctx.port(SURVEYS).summary(survey.id):
            see = Button(t._("Ver los resultados"), BUTTONS.data(results, survey=survey.id))
            return say(state.idle(), Reply(text, ((see,), (menu_button(t._("Volver al menú")),))))
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
    place = Place.of(index)
    if survey is None or place.index >= len(survey.form.questions) or not _consented(survey, place, ctx):
        return None
    return survey


def _current(state: State, ctx: Context) -> tuple[SurveyView, Place] | None:
    """The vecino's survey (open or not) and the place (question, instance) the state is asking."""
    survey_id, number = state.data.get("s"), state.data.get("q")
    if not isinstance(survey_id, int) or not isinstance(number, int) or number < 0:
        return None
    survey, place = _survey(survey_id, ctx), Place.of(number)
    if survey is None or place.index >= len(survey.form.questions):
        return None
    return survey, place


def _answers(survey: SurveyView, ctx: Context) -> Mapping[str, Any]:
    return ctx.port(SURVEYS).answers(survey.id, ctx.me.id)


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
    "sv:{survey}:results": results,
})

FLOW = Flow(
    steps={STEP: Step(on_text=typed, again=ask_again, on_media=shared)},
    commands=(
        Command("encuestas", list_surveys, aliases=("surveys", "anket"),
                about=lambda t: t._("Responder las encuestas del barrio")),
    ),
    buttons=BUTTONS,
    menu=(Entry(lambda t: t._("Encuestas"), list_surveys),),
)
