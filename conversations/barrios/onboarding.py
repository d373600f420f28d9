"""Joining a barrio: code, language, privacy notice, consent.

Nothing is stored before consent. Until then the code and the chosen language travel
inside the buttons' data, so refusing (or walking away) leaves no record at all; the
refusal's «Cambié de opinión» button carries them too, so coming back is in the language
chosen, though nothing about the person was kept.

    /start CODE  or  /start, then the code typed
      -> language buttons          join:<locale>:<code>
      -> privacy notice            consent:yes|no:<locale>:<code>
      -> member created, welcome and menu

The table at the bottom (`FLOW`) declares the commands and button formats.
"""

from collections.abc import Callable

from conversations.barrios.codes import MAX_MISSES, MISS_PERIOD, normalise
from conversations.kernel.buttons import Buttons
from conversations.kernel.context import Context
from conversations.kernel.events import Event
from conversations.kernel.feature import Command, Flow, Joining
from conversations.kernel.i18n import LANGUAGE_NAMES, SUPPORTED, Translator
from conversations.kernel.members import BarrioRef, Role
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


def _in_every_language(state: State, ctx: Context, write: Callable[[Translator], str]) -> Reply:
    """A text for someone we keep nothing about, in their phone's language first, then the others (a member's
    in theirs only).

    Whoever refused consent is such a person too: their language was not kept, so the greeting
    they get next must be in the one they chose, whatever their phone says."""
    if state.joined:  # a member: their language is known
        return Reply(write(ctx.tr(state.locale)))
    first = [state.locale] if state.locale in SUPPORTED else []
    return Reply("\n\n".join(write(ctx.tr(locale)) for locale in first + [
        locale for locale in SUPPORTED if locale not in first]))


def ask_code(state: State, ctx: Context) -> Outcome:
    return say(state, _in_every_language(state, ctx, lambda t: t._(
        "¡Hola! Soy el asistente de Acción Local. Para empezar, escribe el código de tu "
        "barrio (6 letras y números) o abre el enlace que te compartieron."
    )))


def typed_code(state: State, event: Event, ctx: Context) -> Outcome:
    """Text from someone who has not joined yet is taken as a barrio code."""
    if _too_many_misses(ctx):
        return _wait(state, ctx)
    code = normalise(event.text)
    barrio = _barrio(code, ctx) if code else None
    if code is None or barrio is None:
        return say(state, _in_every_language(state, ctx, lambda t: t._(
            "No encontré un barrio con el código «{code}». Revísalo y escríbelo de nuevo: "
            "son 6 letras y números, como K7MP2Q.", code=event.text[:24]
        )))
    prompt = " / ".join(ctx.tr(locale)._("Elige tu idioma") for locale in SUPPORTED)
    buttons = [Button(LANGUAGE_NAMES[locale], BUTTONS.data(chose_language, locale=locale, code=code))
               for locale in SUPPORTED]
    return say(state, Reply(prompt, rows(*buttons)))


def chose_language(state: State, _event: Event, ctx: Context, *, locale: str, code: str) -> Outcome:
    """join:<locale>:<code> pressed: show the privacy notice in that language."""
    barrio = _joining(state, ctx, code)
    if isinstance(barrio, Outcome):
        return barrio
    t = ctx.tr(locale)
    notice = privacy_notice(t, barrio)
    buttons = rows(
        Button(t._("Acepto"), BUTTONS.data(consented, answer="yes", locale=locale, code=code)),
        Button(t._("No acepto"), BUTTONS.data(consented, answer="no", locale=locale, code=code)),
        per_row=2,
    )
    return say(state.with_locale(locale), Reply(notice, buttons, replace=True))


def privacy_notice(t: Translator, barrio: BarrioRef) -> str:
    """Whom to ask, what for, for how long, and the vecino's rights: short and plain."""
    if barrio.contact:
        whom = t._("• Responsable de tus datos: {organisation}. Para preguntar por ellos: {contact}.",
                   organisation=barrio.responsible, contact=barrio.contact)
    else:
        whom = t._("• Responsable de tus datos: {organisation}. Para preguntar por ellos, habla con su equipo "
                   "en el barrio.", organisation=barrio.responsible)
    return "\n".join([
        t._("Acción Local · {barrio}", barrio=barrio.name),
        "",
        t._("Antes de empezar, lo importante sobre tus datos:"),
        whom,
        t._("• Para qué: el diagnóstico, las votaciones y las asambleas del programa en tu barrio."),
        t._("• Guardamos solo tu idioma, tus respuestas a encuestas, tus votos y si irás a las asambleas. "
            "No guardamos tu nombre ni tu teléfono."),
        t._("• El equipo ejecutor ve los resultados con un código anónimo, nunca tu cuenta."),
        t.ngettext("• Hasta cuándo: {n} mes después de que termine el programa en tu barrio; luego se borra "
                   "todo lo que te une a tus respuestas.",
                   "• Hasta cuándo: {n} meses después de que termine el programa en tu barrio; luego se borra "
                   "todo lo que te une a tus respuestas.", barrio.retention_months),
        t._("• Tus derechos: con /misdatos ves tus datos, los descargas o pides que no se usen; con /borrar "
            "los borras todo cuando quieras."),
        "",
        t._("¿Aceptas?"),
    ])


def consented(state: State, _event: Event, ctx: Context, *, answer: str, locale: str, code: str) -> Outcome:
    """consent:yes|no:<locale>:<code> pressed: create the member, or forget everything."""
    barrio = _joining(state, ctx, code)
    if isinstance(barrio, Outcome):
        return barrio
    t = ctx.tr(locale)
    if answer == "no":  # nothing is kept, not even the language: it travels in the button, like the code
        again = Button(t._("Cambié de opinión"), BUTTONS.data(chose_language, locale=locale, code=code))
        return say(State(locale=locale), Reply(t._(
            "Entendido: no guardamos nada. Si cambias de opinión, toca el botón, vuelve a abrir el enlace "
            "o escribe el código de tu barrio."
        ), ((again,),), replace=True))
    member_id = ctx.directory.join(barrio_id=barrio.id, role=barrio.role, locale=locale)
    ctx.member = ctx.directory.member(member_id)
    joined = State(locale=locale, member_id=member_id)
    welcome = t._("¡Bienvenida, bienvenido a Acción Local {barrio}!", barrio=barrio.name)
    if barrio.role == Role.MOTOR:
        welcome += "\n" + t._("Entraste como integrante del grupo motor.")
    return say(joined, Reply(welcome, replace=True), menu_reply(ctx, joined))


def _start_member(state: State, event: Event, ctx: Context) -> Outcome:
    member = ctx.me
    t = ctx.tr(state.locale)
    code = normalise(event.arg) if event.arg else None
    if code and _too_many_misses(ctx):  # a member guessing their barrio's grupo motor code
        return _wait(state.idle(), ctx)
    barrio = _barrio(code, ctx) if code else None
    if barrio is not None and barrio.id != member.barrio_id:
        return hint(state.idle(), ctx, t._(
            "Ya participas en {barrio}. Para unirte a otro barrio, primero borra tus datos "
            "de este con /borrar.", barrio=member.barrio_name,
        ))
    lines = [t._("¡Hola de nuevo! Estás en {barrio}.", barrio=member.barrio_name)]
    if barrio is not None and barrio.role == Role.MOTOR and not member.is_motor:
        ctx.directory.update_member(member.id, role=Role.MOTOR)
        lines.append(t._("Ahora eres integrante del grupo motor."))
    if not member.subscribed or not member.reachable:  # back after /salir, or unblocked the bot
        ctx.directory.update_member(member.id, subscribed=True)
        lines.append(t._("Volverás a recibir las convocatorias y avisos de tu barrio."))
    ctx.member = ctx.directory.member(member.id)
    return hint(state.idle(), ctx, "\n".join(lines))


def _joining(state: State, ctx: Context, code: str) -> BarrioRef | Outcome:
    """The barrio a button of someone joining names, or the answer when they joined already or it is gone."""
    if state.joined:
        return _already_joined(state, ctx)
    if _too_many_misses(ctx):
        return _wait(state, ctx)
    barrio = _barrio(code, ctx)
    return _stale(state, ctx) if barrio is None else barrio


def _barrio(code: str, ctx: Context) -> BarrioRef | None:
    """The barrio of a code; a well-formed code that matches none counts against this chat's tries."""
    normalised = normalise(code)
    if normalised is None:
        return None
    barrio = ctx.directory.barrio_by_code(normalised)
    if barrio is None:
        ctx.directory.code_missed(ctx.now)
    return barrio


def _too_many_misses(ctx: Context) -> bool:
    return ctx.directory.code_misses(since=ctx.now - MISS_PERIOD) >= MAX_MISSES


def _wait(state: State, ctx: Context) -> Outcome:
    minutes = int(MISS_PERIOD.total_seconds() // 60)
    return say(state, _in_every_language(state, ctx, lambda t: t.ngettext(
        "Probaste varios códigos que no existen. Por seguridad, espera {n} minuto antes de intentarlo de "
        "nuevo, o pide a tu equipo del barrio el enlace para unirte.",
        "Probaste varios códigos que no existen. Por seguridad, espera {n} minutos antes de intentarlo de "
        "nuevo, o pide a tu equipo del barrio el enlace para unirte.", minutes,
    )))


def _already_joined(state: State, ctx: Context) -> Outcome:
    t = ctx.tr(state.locale)
    name = ctx.member.barrio_name if ctx.member else ""
    return hint(state, ctx, t._("Ya eres parte de {barrio}.", barrio=name))


def _stale(state: State, ctx: Context) -> Outcome:
    t = ctx.tr(state.locale)
    return say(state, Reply(t._(
        "Ese botón ya no sirve. Escribe el código de tu barrio para empezar de nuevo."
    )))


_LOCALES = "|".join(SUPPORTED)

BUTTONS = Buttons({
    f"join:{{locale:{_LOCALES}}}:{{code:text}}": chose_language,
    f"consent:{{answer:yes|no}}:{{locale:{_LOCALES}}}:{{code:text}}": consented,
}, public=True)

FLOW = Flow(
    commands=(Command("start", start, public=True),),
    buttons=BUTTONS,
    joining=Joining(typed=typed_code, ask=ask_code),
)
