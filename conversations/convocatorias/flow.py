"""Convocatorias: the grupo motor calls an assembly; every vecino answers if they will come.

    /convocar or "Nueva convocatoria" (grupo motor only)
      -> cv.title    what is it                      (typed)
      -> cv.when     date and time: 14/12 18:30, sábado 18:30, ...   (conversations/when.py)
      -> cv.place    where                           (typed)
      -> cv.details  details, or "Sin detalles"      (typed or cv:nodetails)
      -> preview exactly as vecinos will see it: cv:send / cv:edit / cv:cancel
    cv:send      stored, queued in the outbox for every subscribed vecino; status follows
    /convocatorias or cv:status     delivery and RSVP counts (grupo motor)
    "Convocatorias" (cv:list)       upcoming assemblies with RSVP buttons (everyone)
    rsvp:<id>:yes|maybe|no          the vecino's answer, changeable until the assembly
    /nombre, nombre:yes|no          agree (or not) to show one's first name to the grupo motor
"""

from datetime import datetime

from conversations.convocatorias import texts as text
from conversations.convocatorias.ports import Convocatorias, Draft
from conversations.convocatorias.when import WhenError, parse_when
from conversations.kernel.context import Context
from conversations.kernel.events import Event
from conversations.kernel.feature import Feature
from conversations.kernel.i18n import Translator
from conversations.kernel.menu import hint, stale
from conversations.kernel.replies import Button, Reply, rows
from conversations.kernel.state import Outcome, State, say

FIELDS = ("title", "when", "place", "details")
MAX_TITLE, MAX_PLACE, MAX_DETAILS = 200, 200, 1000


def _port(ctx: Context) -> Convocatorias:
    assert ctx.convocatorias is not None, "the convocatorias port is not wired"
    return ctx.convocatorias


def new(state: State, event: Event, ctx: Context) -> Outcome:
    """/convocar: start writing a convocatoria (grupo motor only)."""
    t = ctx.tr(state.locale)
    if ctx.member is None or not ctx.member.is_motor:
        return hint(state.idle(), ctx, t._("Solo el grupo motor del barrio puede enviar convocatorias."))
    return say(state.at("cv.title"), Reply(t._(
        "Nueva convocatoria (1 de 4). ¿Cuál es el título? Por ejemplo: Asamblea para validar el diagnóstico."
    )))


def ask(state: State, _event: Event, ctx: Context) -> Outcome:
    """Ask the question of the current step again."""
    t = ctx.tr(state.locale)
    questions = {
        "cv.title": t._("¿Cuál es el título de la convocatoria?"),
        "cv.when": t._("¿Qué día y a qué hora? Escríbelo así: 14/12 18:30, 14-12-2026 18:30 o sábado 18:30."),
        "cv.place": t._("¿Dónde será? Por ejemplo: Sede vecinal, Los Aromos 1234."),
        "cv.details": t._("¿Algún detalle más (qué traer, temas)? Escríbelo, o toca «Sin detalles»."),
    }
    buttons = rows(Button(t._("Sin detalles"), "cv:nodetails")) if state.step == "cv.details" else ()
    return say(state, Reply(questions[state.step], buttons))


def typed_title(state: State, event: Event, ctx: Context) -> Outcome:
    return _typed(state, ctx, "title", event.text, MAX_TITLE, "cv.when")


def typed_when(state: State, event: Event, ctx: Context) -> Outcome:
    """The date and time, in the barrio's time zone; a clear message for anything else."""
    t = ctx.tr(state.locale)
    timezone = ctx.member.timezone if ctx.member else ctx.default_timezone
    typed = event.text[:40]
    try:
        moment = parse_when(event.text, now=ctx.now, timezone=timezone)
    except WhenError as error:
        problems = {
            "format": t._("No entendí «{typed}» como fecha y hora.", typed=typed),
            "no_date": t._("La fecha «{typed}» no existe en el calendario.", typed=typed),
            "past": t._("«{typed}» ya pasó. La convocatoria tiene que ser en el futuro.", typed=typed),
        }
        again = ask(state, event, ctx)
        return Outcome(state, (Reply(problems[error.reason]), *again.replies))
    return _next(state, ctx, {**state.data, "when": moment.isoformat()}, "cv.place")


def typed_place(state: State, event: Event, ctx: Context) -> Outcome:
    return _typed(state, ctx, "place", event.text, MAX_PLACE, "cv.details")


def typed_details(state: State, event: Event, ctx: Context) -> Outcome:
    return _typed(state, ctx, "details", event.text, MAX_DETAILS, None)


def _typed(state: State, ctx: Context, name: str, value: str, limit: int, following: str | None) -> Outcome:
    t = ctx.tr(state.locale)
    value = value.strip()
    if len(value) < 2 or len(value) > limit:
        again = ask(state, Event.other("retry"), ctx)
        problem = t._("Escribe entre 2 y {limit} caracteres.", limit=t.number(limit))
        return Outcome(state, (Reply(problem), *again.replies))
    return _next(state, ctx, {**state.data, name: value}, following)


def _next(state: State, ctx: Context, data: dict, following: str | None) -> Outcome:  # type: ignore[type-arg]
    if following is None or data.get("editing"):
        return preview(state.at("cv.preview", **data), ctx)
    moved = state.at(following, **data)
    return ask(moved, Event.other("next"), ctx)


def no_details(state: State, event: Event, ctx: Context) -> Outcome:
    """cv:nodetails pressed at the details step."""
    if state.step != "cv.details":
        return stale(state, ctx)
    return preview(state.at("cv.preview", **{**state.data, "details": ""}), ctx)


def _draft(state: State) -> Draft | None:
    data = state.data
    if not all(key in data for key in ("title", "when", "place")):
        return None
    return Draft(data["title"], datetime.fromisoformat(data["when"]), data["place"], data.get("details", ""))


def preview(state: State, ctx: Context) -> Outcome:
    """The message exactly as vecinos will see it, then Enviar / Editar / Cancelar."""
    t = ctx.tr(state.locale)
    draft = _draft(state)
    if draft is None or ctx.member is None:
        return stale(state.idle(), ctx)
    as_seen = Reply(text.body(t, draft, ctx.member.barrio_name), text.rsvp_buttons(t, 0))
    actions = rows(Button(t._("Enviar"), "cv:send"), Button(t._("Editar"), "cv:edit"),
                   Button(t._("Cancelar"), "cv:cancel"), per_row=3)
    question = Reply(t._("Así la verán los vecinos. ¿La envío a todo el barrio?"), actions)
    return say(state.at("cv.preview", **{k: v for k, v in state.data.items() if k != "editing"}),
               Reply(t._("Vista previa:")), as_seen, question)


def send(state: State, _event: Event, ctx: Context) -> Outcome:
    """cv:send: store it and queue it for every vecino."""
    t = ctx.tr(state.locale)
    draft = _draft(state)
    if state.step != "cv.preview" or draft is None or ctx.member is None or not ctx.member.is_motor:
        return stale(state.idle(), ctx)
    if draft.starts_at <= ctx.now:
        moved = state.at("cv.when", **{**state.data, "editing": True})
        again = ask(moved, Event.other("retry"), ctx)
        return Outcome(moved, (Reply(t._("Esa fecha ya pasó. Escribe una nueva fecha y hora.")), *again.replies))
    convocatoria, queued = _port(ctx).send(member_id=ctx.member.id, draft=draft)
    done = t.ngettext(
        "¡Enviada! Va en camino a {n} vecino. Mira cómo avanza y quién viene con /convocatorias.",
        "¡Enviada! Va en camino a {n} vecinos. Mira cómo avanza y quién viene con /convocatorias.",
        queued,
    )
    return say(state.idle(), Reply(done, rows(Button(t._("Ver avance"), f"cv:status:{convocatoria.id}"))))


def edit(state: State, _event: Event, ctx: Context) -> Outcome:
    """cv:edit: which part to change."""
    t = ctx.tr(state.locale)
    if state.step != "cv.preview":
        return stale(state.idle(), ctx)
    labels = {"title": t._("Título"), "when": t._("Fecha y hora"), "place": t._("Lugar"),
              "details": t._("Detalles")}
    buttons = rows(*(Button(labels[f], f"cv:field:{f}") for f in FIELDS), per_row=2)
    return say(state, Reply(t._("¿Qué quieres cambiar?"), buttons))


def edit_field(state: State, event: Event, ctx: Context) -> Outcome:
    """cv:field:<name>: ask that part again, then back to the preview."""
    field = event.text.split(":")[-1]
    if state.step != "cv.preview" or field not in FIELDS:
        return stale(state.idle(), ctx)
    return ask(state.at(f"cv.{field}", **{**state.data, "editing": True}), event, ctx)


def cancel(state: State, _event: Event, ctx: Context) -> Outcome:
    """cv:cancel: drop the draft."""
    t = ctx.tr(state.locale)
    return hint(state.idle(), ctx, t._("Listo, descarté la convocatoria. No se envió nada."))


def upcoming(state: State, _event: Event, ctx: Context) -> Outcome:
    """"Convocatorias": the next assemblies of the barrio, each with the RSVP buttons."""
    t = ctx.tr(state.locale)
    member = ctx.member
    if member is None:
        return stale(state, ctx)
    port = _port(ctx)
    found = port.upcoming(member.barrio_id, ctx.now)
    if not found:
        return hint(state.idle(), ctx, t._("No hay convocatorias próximas en tu barrio."))
    replies = [text.announcement(t, c, member.barrio_name, port.answer(c.id, member.id)) for c in found]
    return say(state.idle(), *replies)


def status(state: State, event: Event, ctx: Context) -> Outcome:
    """/convocatorias or cv:status[:id]: delivery and answers for the grupo motor; the list for others."""
    t = ctx.tr(state.locale)
    member = ctx.member
    if member is None or not member.is_motor:
        return upcoming(state, event, ctx)
    port = _port(ctx)
    wanted = event.text.split(":")[2] if event.text.count(":") == 2 else ""
    ids = [int(wanted)] if wanted.isdigit() else [c.id for c in port.recent(member.barrio_id, ctx.now)]
    shown = [s for s in (port.status(i) for i in ids) if s and s.convocatoria.barrio_id == member.barrio_id]
    if not shown:
        return hint(state.idle(), ctx, t._("Tu barrio aún no tiene convocatorias. Crea una con /convocar."))
    refresh = rows(Button(t._("Actualizar"), event.text if wanted else "cv:status"),
                   Button(t._("Menú"), "menu:"), per_row=2)
    body = "\n\n".join(text.status_text(t, s) for s in shown)
    return say(state.idle(), Reply(body, refresh, replace=event.kind == "button"))


def rsvp(state: State, event: Event, ctx: Context) -> Outcome:
    """rsvp:<id>:<answer> pressed under a convocatoria."""
    t = ctx.tr(state.locale)
    parts = event.text.split(":")
    member = ctx.member
    if member is None or len(parts) != 3 or not parts[1].isdigit() or parts[2] not in text.ANSWERS:
        return stale(state, ctx)
    if parts[1] == "0":
        return say(state, Reply(t._("Esta es solo la vista previa: los botones funcionarán en el mensaje enviado.")))
    port = _port(ctx)
    convocatoria = port.get(int(parts[1]))
    if convocatoria is None or convocatoria.barrio_id != member.barrio_id:
        return stale(state, ctx)
    if convocatoria.starts_at <= ctx.now:
        return hint(state, ctx, t._("Esa asamblea ya pasó; no se pueden cambiar las respuestas."))
    port.set_answer(convocatoria.id, member.id, parts[2])
    lines = [t._("Anotado: {answer}. Puedes cambiar tu respuesta hasta la asamblea.",
                 answer=text.answer_label(t, parts[2]))]
    buttons: tuple[tuple[Button, ...], ...] = ()
    if not member.share_name and parts[2] != "no":
        lines.append(t._("¿Quieres que el grupo motor vea tu nombre en la lista de asistentes?"))
        buttons = _name_buttons(t)
    return say(state, Reply("\n".join(lines), buttons))


def ask_name(state: State, _event: Event, ctx: Context) -> Outcome:
    """/nombre: show one's first name to the grupo motor, or stop showing it."""
    t = ctx.tr(state.locale)
    member = ctx.member
    if member is None:
        return stale(state, ctx)
    now = (t._("Ahora el grupo motor ve tu nombre: {name}.", name=member.display_name)
           if member.share_name and member.display_name else t._("Ahora el grupo motor no ve tu nombre."))
    return say(state.idle(), Reply(
        now + "\n" + t._("¿Quieres que el grupo motor vea tu nombre en la lista de asistentes?"), _name_buttons(t)))


def _name_buttons(t: Translator) -> tuple[tuple[Button, ...], ...]:
    return rows(Button(t._("Sí, mostrar mi nombre"), "nombre:yes"), Button(t._("No"), "nombre:no"), per_row=2)


def set_name(state: State, event: Event, ctx: Context) -> Outcome:
    """nombre:yes|no pressed."""
    t = ctx.tr(state.locale)
    member = ctx.member
    choice = event.text.partition(":")[2]
    if member is None or choice not in ("yes", "no"):
        return stale(state, ctx)
    if choice == "yes" and event.display_name:
        name = event.display_name.strip()[:64]
        _port(ctx).share_name(member.id, name)
        return say(state, Reply(t._("Listo: el grupo motor verá tu nombre, {name}. Para quitarlo: /nombre.",
                                    name=name), replace=True))
    _port(ctx).share_name(member.id, None)
    return say(state, Reply(t._("Listo: el grupo motor no verá tu nombre, solo los totales."), replace=True))


def button(state: State, event: Event, ctx: Context) -> Outcome:
    """cv:<action>[:...] pressed."""
    action = event.text.split(":")[1] if ":" in event.text else ""
    handlers = {"new": new, "list": upcoming, "status": status, "send": send, "edit": edit,
                "field": edit_field, "cancel": cancel, "nodetails": no_details}
    handler = handlers.get(action)
    if handler is None:
        return stale(state, ctx)
    return handler(state, event, ctx)


def _menu(ctx: Context, t: Translator) -> list[Button]:
    items = [Button(t._("Convocatorias"), "cv:list")]
    if ctx.member is not None and ctx.member.is_motor:
        items += [Button(t._("Nueva convocatoria"), "cv:new"), Button(t._("Avance de convocatorias"), "cv:status")]
    return items


def _help(t: Translator) -> list[str]:
    return [
        t._("/convocatorias — las próximas asambleas y tu respuesta"),
        t._("/nombre — mostrar u ocultar tu nombre al grupo motor"),
        t._("/convocar — (grupo motor) enviar una convocatoria a todo el barrio"),
    ]


FEATURE = Feature(
    name="convocatorias",
    commands={"convocar": new, "convocatorias": status, "asambleas": upcoming, "nombre": ask_name},
    buttons={"cv": button, "rsvp": rsvp, "nombre": set_name},
    steps={"cv.title": typed_title, "cv.when": typed_when, "cv.place": typed_place, "cv.details": typed_details},
    prompts={"cv.title": ask, "cv.when": ask, "cv.place": ask, "cv.details": ask},
    menu=_menu,
    help=_help,
)
