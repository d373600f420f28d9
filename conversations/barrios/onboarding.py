"""Joining a barrio: code, language, privacy notice, consent.

Nothing is stored before consent. Until then the code and the chosen language travel
inside the buttons' data, so refusing (or walking away) leaves no record at all.

    /start CODE  or  /start, then the code typed
      -> language buttons          join:<locale>:<code>
      -> privacy notice            consent:yes|no:<locale>:<code>
      -> member created, welcome and menu
"""

from conversations.barrios.codes import normalise
from conversations.kernel.context import Context
from conversations.kernel.events import Event
from conversations.kernel.feature import Feature
from conversations.kernel.i18n import LANGUAGE_NAMES, SUPPORTED
from conversations.kernel.members import BarrioRef
from conversations.kernel.menu import hint, menu_reply
from conversations.kernel.replies import Button, Reply, rows
from conversations.kernel.state import Outcome, State, say


def start(state: State, event: Event, ctx: Context) -> Outcome:
    """/start [CODE]: join with the deep-link code, or ask for the code."""
    if state.joined:
        return _start_member(state, event, ctx)
    if not event.arg:
        return ask_code(state, ctx)
    return typed_code(state, Event.parse(event.arg), ctx)


def ask_code(state: State, ctx: Context) -> Outcome:
    t = ctx.tr(state.locale)
    return say(state, Reply(t._(
        "¡Hola! Soy el asistente de Acción Local. Para empezar, escribe el código de tu "
        "barrio (6 letras y números) o abre el enlace que te compartieron."
    )))


def typed_code(state: State, event: Event, ctx: Context) -> Outcome:
    """Text from someone who has not joined yet is taken as a barrio code."""
    t = ctx.tr(state.locale)
    code = normalise(event.text)
    barrio = ctx.directory.barrio_by_code(code) if code else None
    if code is None or barrio is None:
        return say(state, Reply(t._(
            "No encontré un barrio con el código «{code}». Revísalo y escríbelo de nuevo: "
            "son 6 letras y números, como K7MP2Q.", code=event.text[:24]
        )))
    prompt = " / ".join(ctx.tr(locale)._("Elige tu idioma") for locale in SUPPORTED)
    buttons = [Button(LANGUAGE_NAMES[locale], f"join:{locale}:{code}") for locale in SUPPORTED]
    return say(state, Reply(prompt, rows(*buttons)))


def chose_language(state: State, event: Event, ctx: Context) -> Outcome:
    """join:<locale>:<code> pressed: show the privacy notice in that language."""
    parts = event.text.split(":")
    barrio = _barrio_in(parts, 3, ctx)
    if state.joined:
        return _already_joined(state, ctx)
    if barrio is None or parts[1] not in SUPPORTED:
        return _stale(state, ctx)
    locale, code = parts[1], parts[2]
    t = ctx.tr(locale)
    notice = t._(
        "Acción Local · {barrio}\n\n"
        "Antes de empezar, lo importante sobre tus datos:\n"
        "• Guardamos solo tu idioma, tus respuestas a encuestas, tus votos y si irás a "
        "las asambleas. No guardamos tu nombre ni tu teléfono.\n"
        "• El equipo ejecutor de tu barrio ve los resultados con un código anónimo, "
        "nunca tu cuenta.\n"
        "• Con /misdatos ves lo que guardamos, y con /borrar lo borras todo cuando "
        "quieras.\n\n"
        "¿Aceptas?", barrio=barrio.name,
    )
    buttons = rows(
        Button(t._("Acepto"), f"consent:yes:{locale}:{code}"),
        Button(t._("No acepto"), f"consent:no:{locale}:{code}"),
        per_row=2,
    )
    return say(state.with_locale(locale), Reply(notice, buttons, replace=True))


def consented(state: State, event: Event, ctx: Context) -> Outcome:
    """consent:yes|no:<locale>:<code> pressed: create the member, or forget everything."""
    parts = event.text.split(":")
    if state.joined:
        return _already_joined(state, ctx)
    barrio = _barrio_in(parts, 4, ctx)
    if barrio is None or parts[1] not in ("yes", "no") or parts[2] not in SUPPORTED:
        return _stale(state, ctx)
    locale = parts[2]
    t = ctx.tr(locale)
    if parts[1] == "no":
        return say(State(locale=locale), Reply(t._(
            "Entendido: no guardamos nada. Si cambias de opinión, vuelve a abrir el enlace "
            "o escribe el código de tu barrio."
        ), replace=True))
    member_id = ctx.directory.join(barrio_id=barrio.id, role=barrio.role, locale=locale)
    ctx.member = ctx.directory.member(member_id)
    joined = State(locale=locale, member_id=member_id)
    welcome = t._("¡Bienvenida, bienvenido a Acción Local {barrio}!", barrio=barrio.name)
    if barrio.role == "motor":
        welcome += "\n" + t._("Entraste como integrante del grupo motor.")
    return say(joined, Reply(welcome, replace=True), menu_reply(ctx, joined))


def _start_member(state: State, event: Event, ctx: Context) -> Outcome:
    member = ctx.member
    assert member is not None
    t = ctx.tr(state.locale)
    code = normalise(event.arg) if event.arg else None
    barrio = ctx.directory.barrio_by_code(code) if code else None
    if barrio is not None and barrio.id != member.barrio_id:
        return hint(state.idle(), ctx, t._(
            "Ya participas en {barrio}. Para unirte a otro barrio, primero borra tus datos "
            "de este con /borrar.", barrio=member.barrio_name,
        ))
    lines = [t._("¡Hola de nuevo! Estás en {barrio}.", barrio=member.barrio_name)]
    if barrio is not None and barrio.role == "motor" and not member.is_motor:
        ctx.directory.update_member(member.id, role="motor")
        lines.append(t._("Ahora eres integrante del grupo motor."))
    if not member.subscribed or not member.reachable:  # back after /salir, or unblocked the bot
        ctx.directory.update_member(member.id, subscribed=True)
        lines.append(t._("Volverás a recibir las convocatorias y avisos de tu barrio."))
    ctx.member = ctx.directory.member(member.id)
    return hint(state.idle(), ctx, "\n".join(lines))


def _barrio_in(parts: list[str], length: int, ctx: Context) -> BarrioRef | None:
    if len(parts) != length:
        return None
    code = normalise(parts[-1])
    return ctx.directory.barrio_by_code(code) if code else None


def _already_joined(state: State, ctx: Context) -> Outcome:
    t = ctx.tr(state.locale)
    name = ctx.member.barrio_name if ctx.member else ""
    return hint(state, ctx, t._("Ya eres parte de {barrio}.", barrio=name))


def _stale(state: State, ctx: Context) -> Outcome:
    t = ctx.tr(state.locale)
    return say(state, Reply(t._(
        "Ese botón ya no sirve. Escribe el código de tu barrio para empezar de nuevo."
    )))


FEATURE = Feature(
    name="onboarding",
    commands={"start": start},
    buttons={"join": chose_language, "consent": consented},
    public=frozenset({"start", "join", "consent"}),
)
