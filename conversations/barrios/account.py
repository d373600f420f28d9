"""The vecino's own account: help, language, my data (see it, download it, stop its use), leave, delete.

`FLOW` at the bottom is its table.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from conversations.barrios.portability import files
from conversations.kernel.buttons import Buttons
from conversations.kernel.context import Context
from conversations.kernel.events import Event
from conversations.kernel.feature import Command, Entry, Flow
from conversations.kernel.i18n import LANGUAGE_NAMES, SUPPORTED, Translator
from conversations.kernel.menu import menu_button, menu_reply, show_menu
from conversations.kernel.replies import Button, Reply, rows
from conversations.kernel.state import Outcome, State, say


def help_(state: State, _event: Event, ctx: Context) -> Outcome:
    """/ayuda: what the bot does, and every feature's commands."""
    t = ctx.tr(state.locale)
    lines = [t._(
        "Con este chat participas en Acción Local desde tu teléfono: respondes encuestas, "
        "votas por iniciativas y recibes las convocatorias de tu barrio."
    ), ""]
    lines.extend(f"/{command} — {about}" for command, about in ctx.chat.about(t))
    text = "\n".join(lines)
    if not state.joined:
        text += "\n\n" + t._("Para empezar, escribe el código de tu barrio.")
        return say(state, Reply(text))
    return say(state.idle(), menu_reply(ctx, state, text))


def choose_language(state: State, _event: Event, ctx: Context) -> Outcome:
    """/idioma: offer the languages, each written in itself."""
    t = ctx.tr(state.locale)
    buttons = [Button(LANGUAGE_NAMES[locale], BUTTONS.data(set_language, locale=locale)) for locale in SUPPORTED]
    return say(state.idle(), Reply(t._("Elige tu idioma"), rows(*buttons)))


def set_language(state: State, _event: Event, ctx: Context, *, locale: str) -> Outcome:
    """lang:<locale> pressed: switch this vecino's language."""
    ctx.directory.update_member(ctx.me.id, locale=locale)
    changed = state.with_locale(locale).idle()
    t = ctx.tr(locale)
    done = t._("Listo, te escribiré en {language}.", language=LANGUAGE_NAMES[locale])
    return say(changed, menu_reply(ctx, changed, done))


def my_data(state: State, _event: Event, ctx: Context) -> Outcome:
    """/misdatos: everything stored about this vecino, in plain words."""
    member = ctx.me
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
    if member.withheld:
        lines.append(t._("• Pediste que tus respuestas y votos no se usen: no cuentan en los resultados."))
    lines.append(t._(
        "No guardamos tu nombre de Telegram ni tu teléfono. Para borrarlo todo: /borrar"
    ))
    use = (Button(t._("Volver a usar mis respuestas"), BUTTONS.data(withhold, answer="no")) if member.withheld
           else Button(t._("No usar mis respuestas"), BUTTONS.data(withhold, answer="yes")))
    rights = rows(Button(t._("Descargar mis datos"), BUTTONS.data(download)), use, menu_button(t._("Volver al menú")))
    return say(state.idle(), Reply("\n".join(lines), rights))


def download(state: State, _event: Event, ctx: Context) -> Outcome:
    """acct:download pressed: everything stored about the vecino, as two files (portability)."""
    member = ctx.me
    t = ctx.tr(state.locale)
    data, sheet = files(t, member, ctx.directory.export(member.id, state.locale), ctx.now)
    return say(
        state.idle(),
        Reply(t._("Tus datos en formato JSON, para llevarlos a otro programa."), document=data),
        Reply(t._("Tus datos en una planilla (CSV), para leerlos."), document=sheet),
        menu_reply(ctx, state, t._("Estos archivos tienen todo lo que guardamos sobre ti.")),
    )


def withhold(state: State, _event: Event, ctx: Context, *, answer: str) -> Outcome:
    """use:yes|no pressed: stop (or start again) using the vecino's answers and votes (opposition)."""
    t = ctx.tr(state.locale)
    ctx.directory.update_member(ctx.me.id, withheld=answer == "yes")
    ctx.member = ctx.directory.member(ctx.me.id)
    if answer == "yes":
        done = t._(
            "Listo: tus respuestas y votos quedan guardados, pero ya no se usan en resultados ni "
            "exportaciones. Puedes deshacerlo en /misdatos, o borrarlos con /borrar."
        )
    else:
        done = t._("Listo: tus respuestas y votos vuelven a contar en los resultados.")
    return say(state.idle(), menu_reply(ctx, state, done))


def _record_lines(t: Translator, records: Mapping[str, int]) -> list[str]:
    wording = {
        "answers": lambda n: t.ngettext("• {n} respuesta a encuestas", "• {n} respuestas a encuestas", n),
        "photos": lambda n: t.ngettext("• {n} foto enviada en encuestas", "• {n} fotos enviadas en encuestas", n),
        "votes": lambda n: t.ngettext("• {n} voto en votaciones", "• {n} votos en votaciones", n),
        "rsvps": lambda n: t.ngettext("• {n} respuesta a convocatorias", "• {n} respuestas a convocatorias", n),
        "follows": lambda n: t.ngettext("• {n} iniciativa que sigues", "• {n} iniciativas que sigues", n),
        "ideas": lambda n: t.ngettext("• {n} idea de iniciativa propuesta", "• {n} ideas de iniciativas propuestas",
                                      n),
    }
    return [wording[kind](n) for kind, n in records.items() if kind in wording and n]


@dataclass(frozen=True)
class _Confirmed:
    """An act asked about first: `words` gives the question and its yes label; "yes" does `act`, "no" goes
    back to the menu."""

    words: Callable[[Translator], tuple[str, str]]
    act: Callable[[State, Context, Translator], Outcome]

    def ask(self, state: State, _event: Event, ctx: Context) -> Outcome:
        """The question, with the yes button and a "No, volver" one."""
        t = ctx.tr(state.locale)
        question, yes = self.words(t)
        buttons = rows(Button(yes, BUTTONS.data(self.pressed, answer="yes")),
                       Button(t._("No, volver"), BUTTONS.data(self.pressed, answer="no")), per_row=2)
        return say(state.idle(), Reply(question, buttons))

    def pressed(self, state: State, event: Event, ctx: Context, *, answer: str) -> Outcome:
        """One of the question's buttons pressed."""
        if answer == "no":
            return show_menu(state, event, ctx)
        return self.act(state, ctx, ctx.tr(state.locale))


def _delete(state: State, ctx: Context, t: Translator) -> Outcome:
    """Delete everything about the vecino."""
    ctx.directory.delete_member(ctx.me.id)
    gone = State(locale=state.locale, forget=True)
    return say(gone, Reply(t._(
        "Listo: borramos todos tus datos. Si algún día quieres volver, escribe el código "
        "de tu barrio."
    ), replace=True))


def _leave(state: State, ctx: Context, t: Translator) -> Outcome:
    """No more messages from the barrio."""
    ctx.directory.update_member(ctx.me.id, subscribed=False)
    return say(state.idle(), Reply(t._(
        "Saliste: ya no te enviaremos mensajes del barrio. Para volver, escribe /start."
    ), replace=True))


# /borrar and /salir: confirmed first
DELETE = _Confirmed(lambda t: (t._(
    "¿Seguro? Se borrarán tu registro en el barrio, tus respuestas, tus votos y tus "
    "respuestas a convocatorias. No se puede deshacer."
), t._("Sí, borrar todo")), _delete)
LEAVE = _Confirmed(lambda t: (t._(
    "Si sales, dejarás de recibir convocatorias y avisos del barrio. Tus respuestas "
    "se mantienen (para borrarlas usa /borrar). ¿Quieres salir?"
), t._("Sí, salir")), _leave)


BUTTONS = Buttons({
    "acct:data": my_data,
    "acct:download": download,
    "use:{answer:yes|no}": withhold,
    "acct:lang": choose_language,
    "acct:help": help_,
    f"lang:{{locale:{'|'.join(SUPPORTED)}}}": set_language,
    "del:{answer:yes|no}": DELETE.pressed,
    "leave:{answer:yes|no}": LEAVE.pressed,
})

FLOW = Flow(
    commands=(
        Command("ayuda", help_, aliases=("help",), about=lambda t: t._("Cómo funciona este chat"), public=True),
        Command("idioma", choose_language, aliases=("language", "lang"), about=lambda t: t._("Cambiar el idioma")),
        Command("misdatos", my_data, aliases=("mydata",), about=lambda t: t._("Ver lo que guardamos sobre ti")),
        Command("borrar", DELETE.ask, aliases=("delete",), about=lambda t: t._("Borrar todos tus datos")),
        Command("salir", LEAVE.ask, aliases=("stop", "leave"),
                about=lambda t: t._("Dejar de recibir mensajes del barrio")),
    ),
    buttons=BUTTONS,
    menu=(
        Entry(lambda t: t._("Mis datos"), my_data),
        Entry(lambda t: t._("Idioma"), choose_language),
        Entry(lambda t: t._("Ayuda"), help_),
    ),
)
