"""The grupo motor reports a hito (an advance) of an iniciativa it is responsible for, from the chat.

    /avance, or "Informar un avance" in the menu (grupo motor only)
      -> the iniciativas the grupo motor is responsible for, one button each   pg:av:<id>
         (also under an iniciativa in "Nuestro barrio")
      -> the advance in a short text (typed)                                  step hito_text
      -> kept with today's date; it waits for staff approval, or (the barrio's setting)
         goes at once to the vecinos who follow the iniciativa (api/programme/pdl.py);
         when staff approve it or leave it out, whoever reported it is told (notices.py)

Only a member of the grupo motor, only for an iniciativa of their barrio whose responsible
is the grupo motor, never for a descartada one: anything else is a stale button.
"""

from conversations.kernel.buttons import Buttons
from conversations.kernel.context import Context
from conversations.kernel.events import Event
from conversations.kernel.feature import Command, Entry, Flow, Step, for_motor
from conversations.kernel.i18n import Translator
from conversations.kernel.menu import hint, menu_button, menu_reply, stale
from conversations.kernel.replies import Button, Reply, rows
from conversations.kernel.state import Outcome, State, say
from conversations.programme.ports import PROGRAMME, IniciativaView
from conversations.programme.rules import IniciativaStatus

TEXT = "hito_text"
MAX_TEXT = 300


def choose(state: State, _event: Event, ctx: Context) -> Outcome:
    """/avance: the iniciativas the grupo motor reports on."""
    t = ctx.tr(state.locale)
    if not ctx.me.is_motor:
        return hint(state.idle(), ctx, t._("Solo el grupo motor del barrio puede informar avances de las iniciativas."))
    mine = [i for i in ctx.port(PROGRAMME).iniciativas(ctx.me.barrio_id) if reportable(i)]
    if not mine:
        return hint(state.idle(), ctx, t._("Ninguna iniciativa del barrio está a cargo del grupo motor. "
                                           "El equipo ejecutor puede asignarle una."))
    buttons = [Button(i.title(state.locale)[:60], BUTTONS.data(start, iniciativa=i.id)) for i in mine]
    return say(state.idle(), Reply(t._("¿De qué iniciativa quieres informar un avance?"),
                                   rows(*buttons, menu_button(t._("Cancelar")))))


def start(state: State, _event: Event, ctx: Context, *, iniciativa: int) -> Outcome:
    """pg:av:<id>: ask for the advance, in a short text."""
    found = _mine(ctx, iniciativa)
    if found is None:
        return stale(state.idle(), ctx)
    return say(state.at(TEXT, iniciativa=iniciativa), _ask(ctx.tr(state.locale), found, state.locale))


def typed(state: State, event: Event, ctx: Context) -> Outcome:
    """The advance: kept with today's date, for staff to approve (or sent to the followers at once)."""
    t = ctx.tr(state.locale)
    found = _mine(ctx, int(state.data["iniciativa"]))
    if found is None:
        return stale(state.idle(), ctx)
    text = " ".join(event.text.split())
    if not 2 <= len(text) <= MAX_TEXT:
        return say(state, Reply(t._("Cuéntalo en pocas palabras: hasta {max} letras. Escríbelo de nuevo, por favor.",
                                    max=MAX_TEXT), rows(menu_button(t._("Cancelar")))))
    waits = ctx.port(PROGRAMME).report_hito(found.id, text, t.local(ctx.now).date(), ctx.me.id)
    title = found.title(state.locale)
    done = state.idle()
    thanks = (t._("¡Gracias! El equipo revisará el avance de «{title}» y luego lo enviaremos a quienes siguen "
                  "la iniciativa.", title=title) if waits
              else t._("¡Gracias! Enviamos el avance de «{title}» a quienes siguen la iniciativa.", title=title))
    return say(done, Reply(thanks), menu_reply(ctx, done))


def again(state: State, _event: Event, ctx: Context) -> Outcome:
    """Ask for the advance again (after a sticker or an edited message)."""
    found = _mine(ctx, int(state.data["iniciativa"]))
    if found is None:
        return stale(state.idle(), ctx)
    return say(state, _ask(ctx.tr(state.locale), found, state.locale))


def reportable(iniciativa: IniciativaView) -> bool:
    """The grupo motor reports on the iniciativas it is responsible for, but a descartada one."""
    return iniciativa.by_motor and iniciativa.status != IniciativaStatus.DESCARTADA


def _mine(ctx: Context, iniciativa: int) -> IniciativaView | None:
    found = ctx.port(PROGRAMME).iniciativa(iniciativa)
    if found is None or found.barrio_id != ctx.me.barrio_id or not ctx.me.is_motor or not reportable(found):
        return None
    return found


def _ask(t: Translator, iniciativa: IniciativaView, locale: str) -> Reply:
    return Reply(t._("Cuenta en pocas palabras el avance de «{title}» (por ejemplo: «Llegaron las semillas»). "
                     "Lo recibirán quienes siguen la iniciativa.", title=iniciativa.title(locale)),
                 rows(menu_button(t._("Cancelar"))))


BUTTONS = Buttons({
    "pg:avance": choose,
    "pg:av:{iniciativa}": start,
})

FLOW = Flow(
    steps={TEXT: Step(on_text=typed, again=again)},
    commands=(Command("avance", choose, aliases=("hito",),
                      about=lambda t: t._("Informar un avance de una iniciativa (grupo motor)")),),
    buttons=BUTTONS,
    menu=(Entry(lambda t: t._("Informar un avance"), choose, shown=for_motor),),
)
