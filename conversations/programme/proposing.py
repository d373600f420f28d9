"""/proponer: during Fase II a vecino proposes an idea for an iniciativa — a title, a short
description, an ámbito — which staff read and may merge into the PDL.

    /proponer, or "Proponer una iniciativa" in the menu during Fase II
      -> title (typed)                       step propose_title
      -> a short description (typed)         step propose_text
      -> ámbito (buttons)                    step propose_ambito, pg:amb:<ambito>
      -> kept; staff decide, the vecino is told what became of it (api/programme/ideas.py)

The draft lives in the conversation state until the ámbito is chosen; nothing is stored
before. Outside Fase II the command explains when ideas are received.
"""

from conversations.ballots.rules import AMBITOS
from conversations.ballots.texts import ambito
from conversations.kernel.buttons import Buttons
from conversations.kernel.context import Context
from conversations.kernel.events import Event
from conversations.kernel.feature import Command, Flow, Step
from conversations.kernel.i18n import Translator
from conversations.kernel.menu import hint, menu_button, menu_reply
from conversations.kernel.replies import Button, Reply, rows
from conversations.kernel.state import Outcome, State, say
from conversations.programme.phases import Phase, PhaseStatus, Span
from conversations.programme.ports import PROGRAMME, Idea

TITLE, TEXT, AMBITO = "propose_title", "propose_text", "propose_ambito"
MAX_TITLE, MAX_TEXT = 80, 300


def start(state: State, _event: Event, ctx: Context) -> Outcome:
    """/proponer: ask for the idea's title, when the barrio is in Fase II."""
    t = ctx.tr(state.locale)
    if not _in_fase_ii(ctx):
        return hint(state.idle(), ctx, t._(
            "Las ideas para el Plan de Desarrollo Local se reciben durante la Fase II del programa. "
            "Te avisaremos cuando empiece."))
    return say(state.at(TITLE), _ask_title(t))


def typed_title(state: State, event: Event, ctx: Context) -> Outcome:
    """The idea's title; then its description."""
    t = ctx.tr(state.locale)
    title = " ".join(event.text.split())
    if not 2 <= len(title) <= MAX_TITLE:
        return say(state, Reply(t._("El nombre debe tener entre 2 y {max} letras. Escríbelo de nuevo, por favor.",
                                    max=MAX_TITLE), rows(menu_button(t._("Cancelar")))))
    return say(state.at(TEXT, title=title), _ask_text(t))


def typed_text(state: State, event: Event, ctx: Context) -> Outcome:
    """The idea's description; then its ámbito."""
    t = ctx.tr(state.locale)
    text = " ".join(event.text.split())
    if not 2 <= len(text) <= MAX_TEXT:
        return say(state, Reply(t._("Cuéntala en pocas palabras: hasta {max} letras. Escríbela de nuevo, por favor.",
                                    max=MAX_TEXT), rows(menu_button(t._("Cancelar")))))
    return say(state.at(AMBITO, title=state.data["title"], text=text), _ask_ambito(t))


def chose_ambito(state: State, _event: Event, ctx: Context, *, choice: str) -> Outcome:
    """pg:amb:<ambito>: keep the idea and thank the vecino."""
    t = ctx.tr(state.locale)
    if state.step != AMBITO:
        return hint(state.idle(), ctx, t._("Esa propuesta ya se envió o se canceló. Para otra, usa /proponer."))
    idea = Idea(state.data["title"], state.data["text"], choice)
    ctx.port(PROGRAMME).propose(member_id=ctx.me.id, barrio_id=ctx.me.barrio_id, idea=idea)
    done = state.idle()
    thanks = t._("¡Gracias! Recibimos tu idea «{title}» ({ambito}). El equipo la revisará con el grupo motor y te "
                 "contaremos qué pasó con ella.", title=idea.title, ambito=ambito(t, idea.ambito))
    return say(done, Reply(thanks, replace=True), menu_reply(ctx, done))


def again(state: State, _event: Event, ctx: Context) -> Outcome:
    """Ask the current question again (after a sticker or an edited message)."""
    t = ctx.tr(state.locale)
    asks = {TITLE: _ask_title, TEXT: _ask_text, AMBITO: _ask_ambito}
    return say(state, asks[state.step](t))


def _in_fase_ii(ctx: Context) -> bool:
    today = ctx.tr("es").local(ctx.now).date()
    return any(p.phase == Phase.FASE_2 and Span(p.starts_on, p.ends_on).status(today) == PhaseStatus.ACTIVE
               for p in ctx.port(PROGRAMME).phases(ctx.me.barrio_id))


def _ask_title(t: Translator) -> Reply:
    return Reply(t._("Propón una iniciativa para el Plan de Desarrollo Local del barrio. ¿Cómo se llamaría? "
                     "(por ejemplo: «Huerto en la sede»)"), rows(menu_button(t._("Cancelar"))))


def _ask_text(t: Translator) -> Reply:
    return Reply(t._("Cuéntanos en pocas palabras de qué se trata y a quién ayudaría."),
                 rows(menu_button(t._("Cancelar"))))


def _ask_ambito(t: Translator) -> Reply:
    buttons = [Button(ambito(t, key), BUTTONS.data(chose_ambito, choice=key)) for key in AMBITOS]
    return Reply(t._("¿En qué ámbito está?"), rows(*buttons, menu_button(t._("Cancelar"))))


def _menu(ctx: Context, t: Translator) -> list[Button]:
    if ctx.member is None or not _in_fase_ii(ctx):
        return []
    return [Button(t._("Proponer una iniciativa"), BUTTONS.data(start))]


BUTTONS = Buttons({
    "pg:idea": start,
    "pg:amb:{choice:" + "|".join(AMBITOS) + "}": chose_ambito,
})

FLOW = Flow(
    name="proposing",
    commands=(Command("proponer", start, aliases=("propose",),
                      about=lambda t: t._("Proponer una idea de iniciativa (Fase II)")),),
    buttons=BUTTONS,
    steps={TITLE: Step(on_text=typed_title, again=again), TEXT: Step(on_text=typed_text, again=again),
           AMBITO: Step(again=again)},
    menu=_menu,
)
