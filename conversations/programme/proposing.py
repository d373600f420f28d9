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
from conversations.kernel.feature import Command, Entry, Flow, Step
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


def typed(state: State, event: Event, ctx: Context) -> Outcome:
    """The idea's title, then its description: each kept when it fits, then the next question."""
    t = ctx.tr(state.locale)
    keep, most, then = _TYPED[state.step]
    text = " ".join(event.text.split())
    if not 2 <= len(text) <= most:
        return say(state, Reply(_misfit(t, state.step, most), rows(menu_button(t._("Cancelar")))))
    return say(state.at(then, **state.data, **{keep: text}), _ASKS[then](t))


def _misfit(t: Translator, step: str, most: int) -> str:
    if step == TITLE:
        return t._("El nombre debe tener entre 2 y {max} letras. Escríbelo de nuevo, por favor.", max=most)
    return t._("Cuéntala en pocas palabras: hasta {max} letras. Escríbela de nuevo, por favor.", max=most)


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
    return say(state, _ASKS[state.step](ctx.tr(state.locale)))


def _in_fase_ii(ctx: Context) -> bool:
    """Whether the member's barrio is in Fase II today (ideas are proposed then)."""
    if ctx.member is None:
        return False
    today = ctx.tr("es").local(ctx.now).date()
    return any(p.phase == Phase.FASE_2 and Span(p.starts_on, p.ends_on).status(today) == PhaseStatus.ACTIVE
               for p in ctx.port(PROGRAMME).phases(ctx.member.barrio_id))


def _ask_title(t: Translator) -> Reply:
    return Reply(t._("Propón una iniciativa para el Plan de Desarrollo Local del barrio. ¿Cómo se llamaría? "
                     "(por ejemplo: «Huerto en la sede»)"), rows(menu_button(t._("Cancelar"))))


def _ask_text(t: Translator) -> Reply:
    return Reply(t._("Cuéntanos en pocas palabras de qué se trata y a quién ayudaría."),
                 rows(menu_button(t._("Cancelar"))))


def _ask_ambito(t: Translator) -> Reply:
    buttons = [Button(ambito(t, key), BUTTONS.data(chose_ambito, choice=key)) for key in AMBITOS]
    return Reply(t._("¿En qué ámbito está?"), rows(*buttons, menu_button(t._("Cancelar"))))


_ASKS = {TITLE: _ask_title, TEXT: _ask_text, AMBITO: _ask_ambito}
# the steps where the idea is typed: what is kept, its most letters, the next step
_TYPED = {TITLE: ("title", MAX_TITLE, TEXT), TEXT: ("text", MAX_TEXT, AMBITO)}

BUTTONS = Buttons({
    "pg:idea": start,
    "pg:amb:{choice:" + "|".join(AMBITOS) + "}": chose_ambito,
})

FLOW = Flow(
    steps={TITLE: Step(on_text=typed, again=again), TEXT: Step(on_text=typed, again=again),
           AMBITO: Step(again=again)},
    commands=(Command("proponer", start, aliases=("propose",),
                      about=lambda t: t._("Proponer una idea de iniciativa (Fase II)")),),
    buttons=BUTTONS,
    menu=(Entry(lambda t: t._("Proponer una iniciativa"), start, shown=_in_fase_ii),),
)
