"""The vecino's own account: help, menu, language, my data, leave, delete."""

from collections.abc import Mapping

from conversations.kernel.context import Context
from conversations.kernel.events import Event
from conversations.kernel.feature import Feature
from conversations.kernel.i18n import LANGUAGE_NAMES, SUPPORTED, Translator
from conversations.kernel.menu import menu_reply, show_menu, stale
from conversations.kernel.registry import features
from conversations.kernel.replies import Button, Reply, rows
from conversations.kernel.state import Outcome, State, say


def help_(state: State, _event: Event, ctx: Context) -> Outcome:
    """/ayuda: what the bot does, and every feature's commands."""
    t = ctx.tr(state.locale)
    lines = [t._(
        "Con este chat participas en Acción Local desde tu teléfono: respondes encuestas, "
        "votas por iniciativas y recibes las convocatorias de tu barrio."
    ), ""]
    for feature in features():
        if feature.help is not None:
            lines.extend(feature.help(t))
    text = "\n".join(lines)
    if not state.joined:
        text += "\n\n" + t._("Para empezar, escribe el código de tu barrio.")
        return say(state, Reply(text))
    return say(state.idle(), menu_reply(ctx, state, text))


def _help(t: Translator) -> list[str]:
    return [
        t._("/menu — opciones"),
        t._("/idioma — cambiar el idioma"),
        t._("/misdatos — ver lo que guardamos sobre ti"),
        t._("/borrar — borrar todos tus datos"),
        t._("/salir — dejar de recibir mensajes del barrio"),
        t._("/ayuda — esta ayuda"),
    ]


def choose_language(state: State, _event: Event, ctx: Context) -> Outcome:
    """/idioma: offer the languages, each written in itself."""
    t = ctx.tr(state.locale)
    buttons = [Button(LANGUAGE_NAMES[locale], f"lang:{locale}") for locale in SUPPORTED]
    return say(state.idle(), Reply(t._("Elige tu idioma"), rows(*buttons)))


def set_language(state: State, event: Event, ctx: Context) -> Outcome:
    """lang:<locale> pressed: switch this vecino's language."""
    locale = event.text.partition(":")[2]
    if locale not in SUPPORTED or state.member_id is None:
        return stale_button(state, event, ctx)
    ctx.directory.update_member(state.member_id, locale=locale)
    changed = state.with_locale(locale).idle()
    t = ctx.tr(locale)
    done = t._("Listo, te escribiré en {language}.", language=LANGUAGE_NAMES[locale])
    return say(changed, menu_reply(ctx, changed, done))


def my_data(state: State, _event: Event, ctx: Context) -> Outcome:
    """/misdatos: everything stored about this vecino, in plain words."""
    member = ctx.member
    if member is None:
        return stale_button(state, _event, ctx)
    t = ctx.tr(state.locale)
    lines = [
        t._("Esto es lo que guardamos sobre ti:"),
        t._("• Código anónimo: {id}", id=member.id),
        t._("• Barrio: {barrio}", barrio=member.barrio_name),
        t._("• Idioma: {language}", language=LANGUAGE_NAMES.get(member.locale, member.locale)),
        t._("• Te uniste el {date}", date=t.date(member.joined_at)),
        t._("• Rol: grupo motor") if member.is_motor else t._("• Rol: vecina o vecino"),
        t._("• Recibes avisos del barrio: sí") if member.subscribed
        else t._("• Recibes avisos del barrio: no"),
    ]
    if member.share_name and member.display_name:
        lines.append(t._("• Nombre que aceptaste mostrar: {name}", name=member.display_name))
    lines.extend(_record_lines(t, ctx.directory.records(member.id)))
    lines.append(t._(
        "No guardamos tu nombre de Telegram ni tu teléfono. Para borrarlo todo: /borrar"
    ))
    return say(state.idle(), menu_reply(ctx, state, "\n".join(lines)))


def _record_lines(t: Translator, records: Mapping[str, int]) -> list[str]:
    wording = {
        "answers": lambda n: t.ngettext("• {n} respuesta a encuestas", "• {n} respuestas a encuestas", n),
        "votes": lambda n: t.ngettext("• {n} voto en votaciones", "• {n} votos en votaciones", n),
        "rsvps": lambda n: t.ngettext("• {n} respuesta a convocatorias", "• {n} respuestas a convocatorias", n),
    }
    return [wording[kind](n) for kind, n in records.items() if kind in wording and n]


def ask_delete(state: State, _event: Event, ctx: Context) -> Outcome:
    """/borrar: confirm before deleting everything."""
    t = ctx.tr(state.locale)
    buttons = rows(
        Button(t._("Sí, borrar todo"), "del:yes"), Button(t._("No, volver"), "del:no"), per_row=2
    )
    return say(state.idle(), Reply(t._(
        "¿Seguro? Se borrarán tu registro en el barrio, tus respuestas, tus votos y tus "
        "respuestas a convocatorias. No se puede deshacer."
    ), buttons))


def delete(state: State, event: Event, ctx: Context) -> Outcome:
    """del:yes|no pressed."""
    t = ctx.tr(state.locale)
    if event.text == "del:no" or state.member_id is None:
        return show_menu(state, event, ctx)
    ctx.directory.delete_member(state.member_id)
    gone = State(locale=state.locale, forget=True)
    return say(gone, Reply(t._(
        "Listo: borramos todos tus datos. Si algún día quieres volver, escribe el código "
        "de tu barrio."
    ), replace=True))


def ask_leave(state: State, _event: Event, ctx: Context) -> Outcome:
    """/salir: confirm before stopping announcements."""
    t = ctx.tr(state.locale)
    buttons = rows(
        Button(t._("Sí, salir"), "leave:yes"), Button(t._("No, volver"), "leave:no"), per_row=2
    )
    return say(state.idle(), Reply(t._(
        "Si sales, dejarás de recibir convocatorias y avisos del barrio. Tus respuestas "
        "se mantienen (para borrarlas usa /borrar). ¿Quieres salir?"
    ), buttons))


def leave(state: State, event: Event, ctx: Context) -> Outcome:
    """leave:yes|no pressed."""
    t = ctx.tr(state.locale)
    if event.text != "leave:yes" or state.member_id is None:
        return show_menu(state, event, ctx)
    ctx.directory.update_member(state.member_id, subscribed=False)
    return say(state.idle(), Reply(t._(
        "Saliste: ya no te enviaremos mensajes del barrio. Para volver, escribe /start."
    ), replace=True))


def account_button(state: State, event: Event, ctx: Context) -> Outcome:
    """acct:<action> pressed in the menu."""
    action = {"help": help_, "lang": choose_language, "data": my_data, "menu": show_menu}
    handler = action.get(event.text.partition(":")[2])
    if handler is None:
        return stale_button(state, event, ctx)
    return handler(state, event, ctx)


def stale_button(state: State, _event: Event, ctx: Context) -> Outcome:
    """A button whose data no longer makes sense."""
    return stale(state, ctx)


def _menu(ctx: Context, t: Translator) -> list[Button]:
    return [
        Button(t._("Mis datos"), "acct:data"),
        Button(t._("Idioma"), "acct:lang"),
        Button(t._("Ayuda"), "acct:help"),
    ]


FEATURE = Feature(
    name="account",
    commands={
        "ayuda": help_, "help": help_, "menu": show_menu,
        "idioma": choose_language, "language": choose_language, "lang": choose_language,
        "misdatos": my_data, "mydata": my_data,
        "borrar": ask_delete, "delete": ask_delete,
        "salir": ask_leave, "stop": ask_leave, "leave": ask_leave,
    },
    buttons={
        "lang": set_language, "del": delete, "leave": leave, "acct": account_button,
        "menu": show_menu,
    },
    menu=_menu,
    help=_help,
    public=frozenset({"ayuda", "help"}),
)
