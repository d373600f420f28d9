"""Convocatorias: the grupo motor calls an assembly; every vecino answers if they will come.

    /convocar or "Nueva convocatoria" (grupo motor only)
      -> Step.TITLE    what is it                    (typed)
      -> Step.WHEN     date and time: 14/12 18:30, sábado 18:30, ...   (when.py)
      -> Step.PLACE    where                         (typed)
      -> Step.DETAILS  details, or "Sin detalles"    (typed or cv:nodetails)
      -> Step.PREVIEW  exactly as vecinos will see it: cv:send / cv:edit / cv:cancel
    cv:version:<locale>  the title and details in another language (optional): each vecino reads theirs
    cv:send      stored, queued in the outbox for every subscribed vecino; status follows
    /convocatorias or cv:status[:id]  delivery and RSVP counts (grupo motor)
    "Convocatorias" (cv:list)         upcoming assemblies with RSVP buttons (everyone)
    cv:off:<id> -> cv:offok:<id>      the grupo motor calls it off (those told, and Asistiré/Tal vez, are told)
    cv:move:<id> -> Step.MOVE         ... or gives it a new date (the same people are told; answers kept)
    rsvp:<id>:yes|maybe|no            the vecino's answer, changeable until the assembly
    /nombre, nombre:yes|no            agree (or not) to show one's first name to the grupo motor

The table at the bottom (`FLOW`) declares the commands, button formats and steps.
"""

from datetime import datetime
from enum import StrEnum

from conversations.convocatorias import texts
from conversations.convocatorias.ports import CONVOCATORIAS, Answer, ConvocatoriaView, Draft
from conversations.convocatorias.when import WhenError, parse_when
from conversations.kernel.buttons import Buttons
from conversations.kernel.context import Context
from conversations.kernel.events import Event, Kind
from conversations.kernel.feature import Command, Entry, Flow, Step, for_motor
from conversations.kernel.i18n import LANGUAGE_NAMES, SUPPORTED, Translator
from conversations.kernel.menu import hint, menu_button, stale
from conversations.kernel.replies import Button, Keyboard, Reply, rows
from conversations.kernel.state import Outcome, State, say


class At(StrEnum):
    """The steps of writing a convocatoria (stored in the conversation)."""

    TITLE = "cv.title"
    WHEN = "cv.when"
    PLACE = "cv.place"
    DETAILS = "cv.details"
    PREVIEW = "cv.preview"
    VERSION_TITLE = "cv.vtitle"  # the title in another language (state.data["vlang"])
    VERSION_DETAILS = "cv.vdetails"
    MOVE = "cv.move"  # the new date of a convocatoria already sent


FIELDS = ("title", "when", "place", "details")
MAX_TITLE, MAX_PLACE, MAX_DETAILS = 200, 200, 1000
PREVIEW_ID = 0  # the RSVP buttons of a preview carry no convocatoria yet


def new(state: State, _event: Event, ctx: Context) -> Outcome:
    """/convocar: start writing a convocatoria (grupo motor only)."""
    t = ctx.tr(state.locale)
    if not ctx.me.is_motor:
        return hint(state.idle(), ctx, t._("Solo el grupo motor del barrio puede enviar convocatorias."))
    return say(state.at(At.TITLE), Reply(t._(
        "Nueva convocatoria (1 de 4). ¿Cuál es el título? Por ejemplo: Asamblea para validar el diagnóstico."
    )))


def ask(state: State, _event: Event, ctx: Context) -> Outcome:
    """Ask the question of the current step again."""
    t = ctx.tr(state.locale)
    language = LANGUAGE_NAMES.get(str(state.data.get("vlang")), "")
    questions = {
        At.VERSION_TITLE: t._("Escribe el título en {language}:", language=language),
        At.VERSION_DETAILS: t._("Escribe los detalles en {language}:", language=language),
        At.TITLE: t._("¿Cuál es el título de la convocatoria?"),
        At.WHEN: t._("¿Qué día y a qué hora? Escríbelo así: 14/12 18:30, 14-12-2026 18:30 o sábado 18:30."),
        At.PLACE: t._("¿Dónde será? Por ejemplo: Sede vecinal, Los Aromos 1234."),
        At.DETAILS: t._("¿Algún detalle más (qué traer, temas)? Escríbelo, o toca «Sin detalles»."),
    }
    buttons = rows(Button(t._("Sin detalles"), BUTTONS.data(no_details))) if state.step == At.DETAILS else ()
    return say(state, Reply(questions[At(state.step)], buttons))


def typed_title(state: State, event: Event, ctx: Context) -> Outcome:
    return _typed(state, ctx, "title", event.text, MAX_TITLE, At.WHEN)


def typed_when(state: State, event: Event, ctx: Context) -> Outcome:
    """The date and time, in the barrio's time zone; a clear message for anything else."""
    t = ctx.tr(state.locale)
    typed = event.text[:40]
    try:
        moment = parse_when(event.text, now=ctx.now, timezone=ctx.me.timezone)
    except WhenError as error:
        problems = {
            "format": t._("No entendí «{typed}» como fecha y hora.", typed=typed),
            "no_date": t._("La fecha «{typed}» no existe en el calendario.", typed=typed),
            "no_time": t._("Falta la hora en «{typed}». Escribe el día y la hora, por ejemplo: {typed} 18:30",
                           typed=typed),
            "past": t._("«{typed}» ya pasó. La convocatoria tiene que ser en el futuro.", typed=typed),
        }
        again = ask(state, event, ctx)
        return Outcome(state, (Reply(problems[error.reason]), *again.replies))
    return _next(state, ctx, {**state.data, "when": moment.isoformat()}, At.PLACE)


def typed_place(state: State, event: Event, ctx: Context) -> Outcome:
    return _typed(state, ctx, "place", event.text, MAX_PLACE, At.DETAILS)


def typed_details(state: State, event: Event, ctx: Context) -> Outcome:
    return _typed(state, ctx, "details", event.text, MAX_DETAILS, None)


def typed_version_title(state: State, event: Event, ctx: Context) -> Outcome:
    following = At.VERSION_DETAILS if state.data.get("details") else None
    return _typed_version(state, ctx, "title", event.text, MAX_TITLE, following)


def typed_version_details(state: State, event: Event, ctx: Context) -> Outcome:
    return _typed_version(state, ctx, "details", event.text, MAX_DETAILS, None)


def _typed(state: State, ctx: Context, name: str, value: str, limit: int, following: At | None) -> Outcome:
    checked = _checked(state, ctx, value, limit)
    if isinstance(checked, Outcome):
        return checked
    return _next(state, ctx, {**state.data, name: checked}, following)


def _typed_version(state: State, ctx: Context, part: str, value: str, limit: int, following: At | None) -> Outcome:
    """A part of the version in state.data["vlang"], kept beside the others."""
    checked = _checked(state, ctx, value, limit)
    if isinstance(checked, Outcome):
        return checked
    locale = str(state.data.get("vlang"))
    versions = dict(state.data.get("versions") or {})
    versions[locale] = {**versions.get(locale, {}), part: checked}
    data = {**state.data, "versions": versions}
    if following is None:
        return preview(state.at(At.PREVIEW, **data), ctx)
    return ask(state.at(following, **data), Event.other("next"), ctx)


def _checked(state: State, ctx: Context, value: str, limit: int) -> str | Outcome:
    """The typed text trimmed, or the same question again with what is wrong."""
    t = ctx.tr(state.locale)
    value = value.strip()
    if len(value) < 2 or len(value) > limit:
        again = ask(state, Event.other("retry"), ctx)
        problem = t._("Escribe entre 2 y {limit} caracteres.", limit=t.number(limit))
        return Outcome(state, (Reply(problem), *again.replies))
    return value


def _next(state: State, ctx: Context, data: dict[str, object], following: At | None) -> Outcome:
    if following is None or data.get("editing"):
        return preview(state.at(At.PREVIEW, **data), ctx)
    return ask(state.at(following, **data), Event.other("next"), ctx)


def no_details(state: State, _event: Event, ctx: Context) -> Outcome:
    """cv:nodetails pressed at the details step."""
    if state.step != At.DETAILS:
        return stale(state, ctx)
    return preview(state.at(At.PREVIEW, **{**state.data, "details": ""}), ctx)


def _draft(state: State) -> Draft | None:
    data = state.data
    if not all(key in data for key in ("title", "when", "place")):
        return None
    return Draft(data["title"], datetime.fromisoformat(data["when"]), data["place"], data.get("details", ""),
                 data.get("versions") or {})


def preview(state: State, ctx: Context) -> Outcome:
    """The message exactly as vecinos will see it, then Enviar / Editar / Cancelar."""
    t = ctx.tr(state.locale)
    draft = _draft(state)
    if draft is None:
        return stale(state.idle(), ctx)
    as_seen = Reply(texts.body(t, draft, ctx.me.barrio_name), rsvp_buttons(t, PREVIEW_ID))
    in_versions = [Reply(texts.body(ctx.tr(locale), draft, ctx.me.barrio_name)) for locale in SUPPORTED
                   if locale != state.locale and locale in draft.versions]
    actions = (*rows(Button(t._("Enviar"), BUTTONS.data(send)), Button(t._("Editar"), BUTTONS.data(edit)),
                     Button(t._("Cancelar"), BUTTONS.data(cancel)), per_row=3),
               *rows(*(_version_button(t, locale, locale in draft.versions) for locale in SUPPORTED
                       if locale != state.locale), per_row=2))
    question = Reply(t._("Así la verán los vecinos. ¿La envío a todo el barrio?"), actions)
    kept = {k: v for k, v in state.data.items() if k not in ("editing", "vlang")}
    return say(state.at(At.PREVIEW, **kept), Reply(t._("Vista previa:")), as_seen, *in_versions, question)


def _version_button(t: Translator, locale: str, written: bool) -> Button:
    language = LANGUAGE_NAMES[locale]
    label = (t._("Cambiar versión en {language}", language=language) if written
             else t._("Agregar versión en {language}", language=language))
    return Button(label, BUTTONS.data(add_version, locale=locale))


def add_version(state: State, event: Event, ctx: Context, *, locale: str) -> Outcome:
    """cv:version:<locale>: write the title (and details) in another language, then back to the preview."""
    if state.step != At.PREVIEW or locale == state.locale:
        return stale(state.idle(), ctx)
    return ask(state.at(At.VERSION_TITLE, **{**state.data, "vlang": locale}), event, ctx)


def send(state: State, _event: Event, ctx: Context) -> Outcome:
    """cv:send: store it and queue it for every vecino."""
    t = ctx.tr(state.locale)
    draft = _draft(state)
    if state.step != At.PREVIEW or draft is None or not ctx.me.is_motor:
        return stale(state.idle(), ctx)
    if draft.starts_at <= ctx.now:
        moved = state.at(At.WHEN, **{**state.data, "editing": True})
        again = ask(moved, Event.other("retry"), ctx)
        return Outcome(moved, (Reply(t._("Esa fecha ya pasó. Escribe una nueva fecha y hora.")), *again.replies))
    convocatoria, queued = ctx.port(CONVOCATORIAS).send(member_id=ctx.me.id, draft=draft)
    done = t.ngettext(
        "¡Enviada! Va en camino a {n} vecino. Mira cómo avanza y quién viene con /convocatorias.",
        "¡Enviada! Va en camino a {n} vecinos. Mira cómo avanza y quién viene con /convocatorias.",
        queued,
    )
    return say(state.idle(), Reply(done, rows(Button(t._("Ver avance"),
                                                     BUTTONS.data(status_of, convocatoria=convocatoria.id)))))


def edit(state: State, _event: Event, ctx: Context) -> Outcome:
    """cv:edit: which part to change."""
    t = ctx.tr(state.locale)
    if state.step != At.PREVIEW:
        return stale(state.idle(), ctx)
    labels = {"title": t._("Título"), "when": t._("Fecha y hora"), "place": t._("Lugar"),
              "details": t._("Detalles")}
    buttons = rows(*(Button(labels[f], BUTTONS.data(edit_field, field=f)) for f in FIELDS), per_row=2)
    return say(state, Reply(t._("¿Qué quieres cambiar?"), buttons))


def edit_field(state: State, event: Event, ctx: Context, *, field: str) -> Outcome:
    """cv:field:<name>: ask that part again, then back to the preview."""
    if state.step != At.PREVIEW:
        return stale(state.idle(), ctx)
    return ask(state.at(At(f"cv.{field}"), **{**state.data, "editing": True}), event, ctx)


def cancel(state: State, _event: Event, ctx: Context) -> Outcome:
    """cv:cancel: drop the draft."""
    t = ctx.tr(state.locale)
    return hint(state.idle(), ctx, t._("Listo, descarté la convocatoria. No se envió nada."))


def upcoming(state: State, _event: Event, ctx: Context) -> Outcome:
    """"Convocatorias": the next assemblies of the barrio, each with the RSVP buttons."""
    t = ctx.tr(state.locale)
    member, port = ctx.me, ctx.port(CONVOCATORIAS)
    found = port.upcoming(member.barrio_id, ctx.now)
    if not found:
        return hint(state.idle(), ctx, t._("No hay convocatorias próximas en tu barrio."))
    replies = [announcement(t, c, member.barrio_name, port.answer(c.id, member.id)) for c in found]
    return say(state.idle(), *replies)


def status(state: State, event: Event, ctx: Context) -> Outcome:
    """/convocatorias or cv:status: delivery and answers for the grupo motor; the list for others."""
    return _status(state, event, ctx, None)


def status_of(state: State, event: Event, ctx: Context, *, convocatoria: int) -> Outcome:
    """cv:status:<id>: the same for one convocatoria (the button under "¡Enviada!")."""
    return _status(state, event, ctx, convocatoria)


def _status(state: State, event: Event, ctx: Context, wanted: int | None) -> Outcome:
    t = ctx.tr(state.locale)
    member = ctx.me
    if not member.is_motor:
        return upcoming(state, event, ctx)
    port = ctx.port(CONVOCATORIAS)
    ids = [wanted] if wanted is not None else [c.id for c in port.recent(member.barrio_id, ctx.now)]
    shown = [s for s in (port.status(i) for i in ids) if s and s.convocatoria.barrio_id == member.barrio_id]
    if not shown:
        return hint(state.idle(), ctx, t._("Tu barrio aún no tiene convocatorias. Crea una con /convocar."))
    again = BUTTONS.data(status) if wanted is None else BUTTONS.data(status_of, convocatoria=wanted)
    ahead = [s.convocatoria for s in shown if not s.convocatoria.cancelled and s.convocatoria.starts_at > ctx.now]
    if wanted is None:  # each upcoming one opens its own status, where it can be changed
        changes = [Button(t._("Cambiar «{title}»", title=c.title[:24]), BUTTONS.data(status_of, convocatoria=c.id))
                   for c in ahead]
    else:
        changes = [b for c in ahead
                   for b in (Button(t._("Cambiar la fecha"), BUTTONS.data(ask_move, convocatoria=c.id)),
                             Button(t._("Suspender"), BUTTONS.data(ask_off, convocatoria=c.id)))]
    keyboard = (*rows(*changes, per_row=2),
                *rows(Button(t._("Actualizar"), again), menu_button(t._("Menú")), per_row=2))
    body = "\n\n".join(texts.status_text(t, s) for s in shown)
    return say(state.idle(), Reply(body, keyboard, replace=event.kind is Kind.BUTTON))


def _mine(ctx: Context, convocatoria: int) -> ConvocatoriaView | None:
    """The convocatoria if it is of the grupo motor member's barrio and can still change."""
    found = ctx.port(CONVOCATORIAS).get(convocatoria) if ctx.me.is_motor else None
    if found is None or found.barrio_id != ctx.me.barrio_id or found.cancelled or found.starts_at <= ctx.now:
        return None
    return found


def ask_off(state: State, _event: Event, ctx: Context, *, convocatoria: int) -> Outcome:
    """cv:off:<id>: are you sure?"""
    t = ctx.tr(state.locale)
    found = _mine(ctx, convocatoria)
    if found is None:
        return stale(state.idle(), ctx)
    sure = rows(Button(t._("Sí, suspender"), BUTTONS.data(call_off, convocatoria=found.id)),
                menu_button(t._("No")), per_row=2)
    question = t._("¿Suspender «{title}» del {when}? Avisaremos a quienes la recibieron o dijeron que irían.",
                   title=found.title, when=t.datetime(found.starts_at))
    return say(state.idle(), Reply(question, sure))


def call_off(state: State, _event: Event, ctx: Context, *, convocatoria: int) -> Outcome:
    """cv:offok:<id>: call it off."""
    t = ctx.tr(state.locale)
    found = _mine(ctx, convocatoria)
    told = None if found is None else ctx.port(CONVOCATORIAS).call_off(found.id, ctx.now)
    if told is None:
        return stale(state.idle(), ctx)
    return hint(state.idle(), ctx, t.ngettext("Listo, la suspendimos. Avisaremos a {n} vecino.",
                                              "Listo, la suspendimos. Avisaremos a {n} vecinos.", told))


def ask_move(state: State, _event: Event, ctx: Context, *, convocatoria: int) -> Outcome:
    """cv:move:<id>: ask the new date and time."""
    t = ctx.tr(state.locale)
    found = _mine(ctx, convocatoria)
    if found is None:
        return stale(state.idle(), ctx)
    return say(state.at(At.MOVE, moving=found.id), Reply(t._(
        "¿Cuál es la nueva fecha y hora de «{title}»? Escríbela así: 14/12 18:30 o sábado 18:30.", title=found.title)))


def typed_move(state: State, event: Event, ctx: Context) -> Outcome:
    """The new date typed: move it, or say what is wrong and ask again."""
    t = ctx.tr(state.locale)
    try:
        moment = parse_when(event.text, now=ctx.now, timezone=ctx.me.timezone)
    except WhenError:
        return say(state, Reply(t._("No entendí «{typed}» como una fecha y hora futura. Escríbela así: 14/12 18:30.",
                                    typed=event.text[:40])))
    found = _mine(ctx, int(state.data.get("moving", 0)))
    told = None if found is None else ctx.port(CONVOCATORIAS).move(found.id, moment, ctx.now)
    if told is None:
        return stale(state.idle(), ctx)
    return hint(state.idle(), ctx, t.ngettext(
        "Listo: nueva fecha {when}. Avisaremos a {n} vecino; sus respuestas se mantienen.",
        "Listo: nueva fecha {when}. Avisaremos a {n} vecinos; sus respuestas se mantienen.", told,
        when=t.datetime(moment)))


def ask_move_again(state: State, _event: Event, ctx: Context) -> Outcome:
    """Anything but a date while moving: ask again."""
    t = ctx.tr(state.locale)
    return say(state, Reply(t._("Escribe la nueva fecha y hora, por ejemplo: 14/12 18:30.")))


def rsvp(state: State, _event: Event, ctx: Context, *, convocatoria: int, answer: str) -> Outcome:
    """rsvp:<id>:<answer> pressed under a convocatoria."""
    t = ctx.tr(state.locale)
    member = ctx.me
    if convocatoria == PREVIEW_ID:
        return say(state, Reply(t._("Esta es solo la vista previa: los botones funcionarán en el mensaje enviado.")))
    port = ctx.port(CONVOCATORIAS)
    found = port.get(convocatoria)
    if found is None or found.barrio_id != member.barrio_id:
        return stale(state, ctx)
    if found.cancelled:
        return hint(state, ctx, t._("Esa asamblea se suspendió; no hace falta responder."))
    if found.starts_at <= ctx.now:
        return hint(state, ctx, t._("Esa asamblea ya pasó; no se pueden cambiar las respuestas."))
    port.set_answer(found.id, member.id, answer)
    lines = [t._("Anotado: {answer}. Puedes cambiar tu respuesta hasta la asamblea.",
                 answer=texts.answer_label(t, answer))]
    buttons: Keyboard = ()
    if not member.share_name and answer != Answer.NO:
        lines.append(t._("¿Quieres que el grupo motor vea tu nombre en la lista de asistentes?"))
        buttons = _name_buttons(t)
    return say(state, Reply("\n".join(lines), buttons))


def ask_name(state: State, _event: Event, ctx: Context) -> Outcome:
    """/nombre: show one's first name to the grupo motor, or stop showing it."""
    t = ctx.tr(state.locale)
    member = ctx.me
    now = (t._("Ahora el grupo motor ve tu nombre: {name}.", name=member.display_name)
           if member.share_name and member.display_name else t._("Ahora el grupo motor no ve tu nombre."))
    return say(state.idle(), Reply(
        now + "\n" + t._("¿Quieres que el grupo motor vea tu nombre en la lista de asistentes?"), _name_buttons(t)))


def _name_buttons(t: Translator) -> Keyboard:
    return rows(Button(t._("Sí, mostrar mi nombre"), BUTTONS.data(set_name, answer="yes")),
                Button(t._("No"), BUTTONS.data(set_name, answer="no")), per_row=2)


def set_name(state: State, event: Event, ctx: Context, *, answer: str) -> Outcome:
    """nombre:yes|no pressed."""
    t = ctx.tr(state.locale)
    port = ctx.port(CONVOCATORIAS)
    if answer == "yes" and event.display_name:
        name = event.display_name.strip()[:64]
        port.share_name(ctx.me.id, name)
        return say(state, Reply(t._("Listo: el grupo motor verá tu nombre, {name}. Para quitarlo: /nombre.",
                                    name=name), replace=True))
    port.share_name(ctx.me.id, None)
    return say(state, Reply(t._("Listo: el grupo motor no verá tu nombre, solo los totales."), replace=True))


def rsvp_buttons(t: Translator, convocatoria_id: int) -> Keyboard:
    return rows(*(Button(texts.answer_label(t, a), BUTTONS.data(rsvp, convocatoria=convocatoria_id, answer=a))
                  for a in Answer), per_row=3)


def announcement(t: Translator, c: ConvocatoriaView, barrio_name: str, answer: str | None = None) -> Reply:
    """The convocatoria as every vecino gets it (the outbox, the list of upcoming ones)."""
    return Reply(texts.body(t, c, barrio_name, answer), rsvp_buttons(t, c.id))


def moved(t: Translator, c: ConvocatoriaView, barrio_name: str, answer: str | None) -> Reply:
    """The new date of a convocatoria, with the RSVP buttons (answers are kept)."""
    return Reply(texts.moved(t, c, barrio_name, answer), rsvp_buttons(t, c.id))


def reminder(t: Translator, c: ConvocatoriaView, answer: str) -> Reply:
    """The reminder before the assembly, to those who said Asistiré or Tal vez."""
    return Reply(texts.reminder(t, c, answer), rsvp_buttons(t, c.id))


BUTTONS = Buttons({
    "cv:new": new,
    "cv:list": upcoming,
    "cv:status": status,
    "cv:status:{convocatoria}": status_of,
    "cv:nodetails": no_details,
    "cv:send": send,
    "cv:edit": edit,
    f"cv:field:{{field:{'|'.join(FIELDS)}}}": edit_field,
    "cv:cancel": cancel,
    f"cv:version:{{locale:{'|'.join(SUPPORTED)}}}": add_version,
    "cv:off:{convocatoria}": ask_off,
    "cv:offok:{convocatoria}": call_off,
    "cv:move:{convocatoria}": ask_move,
    f"rsvp:{{convocatoria}}:{{answer:{'|'.join(Answer)}}}": rsvp,
    "nombre:{answer:yes|no}": set_name,
})

FLOW = Flow(
    steps={
        At.TITLE: Step(on_text=typed_title, again=ask),
        At.WHEN: Step(on_text=typed_when, again=ask),
        At.PLACE: Step(on_text=typed_place, again=ask),
        At.DETAILS: Step(on_text=typed_details, again=ask),
        At.PREVIEW: Step(),
        At.VERSION_TITLE: Step(on_text=typed_version_title, again=ask),
        At.VERSION_DETAILS: Step(on_text=typed_version_details, again=ask),
        At.MOVE: Step(on_text=typed_move, again=ask_move_again),
    },
    commands=(
        Command("convocatorias", status, about=lambda t: t._("Ver las próximas asambleas")),
        Command("asambleas", upcoming),
        Command("convocar", new, about=lambda t: t._("Enviar una convocatoria a todo el barrio (grupo motor)")),
        Command("nombre", ask_name, about=lambda t: t._("Mostrar u ocultar tu nombre al grupo motor")),
    ),
    buttons=BUTTONS,
    menu=(
        Entry(lambda t: t._("Convocatorias"), upcoming),
        Entry(lambda t: t._("Nueva convocatoria"), new, shown=for_motor),
        Entry(lambda t: t._("Avance de convocatorias"), status, shown=for_motor),
    ),
)
