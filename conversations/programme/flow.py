""""Nuestro barrio": where the programme stands and what became of the iniciativas the barrio voted for.

    /barrio, /iniciativas, or "Nuestro barrio" in the menu    pg:home
      -> the current phase(s) and what comes next, then the PDL's
         iniciativas with status and progress; one button each   pg:ini:<id>
      -> one iniciativa: description, cost, status, progress, hitos
         follow it (its hitos come by message), or stop      pg:f:<id>:si|no
         (the grupo motor: report an advance, reporting.py)  pg:av:<id>

Reading only: nothing here changes the PDL. An iniciativa of another barrio (an old or
forged button) is stale. The table at the bottom (`FLOW`) declares the commands and buttons.
"""

from datetime import date

from conversations.ballots.texts import ambito
from conversations.kernel.buttons import Buttons
from conversations.kernel.context import Context
from conversations.kernel.events import Event, Kind
from conversations.kernel.feature import Command, Entry, Flow
from conversations.kernel.i18n import Translator
from conversations.kernel.menu import menu_button, stale
from conversations.kernel.replies import Button, Reply, rows
from conversations.kernel.state import Outcome, State, say
from conversations.programme import reporting
from conversations.programme.phases import PhaseStatus, Span
from conversations.programme.ports import PROGRAMME, PhaseView
from conversations.programme.texts import hito_line, iniciativa_line, phase_name, status_name

MAX_HITOS = 5  # the newest; a long history would not fit one message


def show_barrio(state: State, event: Event, ctx: Context) -> Outcome:
    """/barrio or pg:home: the phase the barrio is in, what comes next, and the PDL's iniciativas."""
    t = ctx.tr(state.locale)
    member, port = ctx.me, ctx.port(PROGRAMME)
    today = t.local(ctx.now).date()
    parts = [t._("{barrio} en Acción Local", barrio=member.barrio_name)]
    parts.append(_timeline(t, port.phases(member.barrio_id), today))
    iniciativas = port.iniciativas(member.barrio_id)
    buttons = []
    if iniciativas:
        lines = [t._("Iniciativas del Plan de Desarrollo Local:")]
        lines += ["• " + iniciativa_line(t, i, state.locale) for i in iniciativas]
        parts.append("\n".join(lines))
        buttons = [Button(i.title(state.locale)[:60], BUTTONS.data(show_iniciativa, iniciativa=i.id))
                   for i in iniciativas]
    else:
        parts.append(t._("El barrio aún no tiene iniciativas en su Plan de Desarrollo Local."))
    buttons.append(menu_button(t._("Volver al menú")))
    return say(state.idle(), Reply("\n\n".join(parts), rows(*buttons), replace=event.kind is Kind.BUTTON))


def show_iniciativa(state: State, _event: Event, ctx: Context, *, iniciativa: int) -> Outcome:
    """pg:ini:<id>: one iniciativa, with its status, progress and latest hitos."""
    return _iniciativa(state, ctx, iniciativa)


def follow(state: State, _event: Event, ctx: Context, *, iniciativa: int, on: str) -> Outcome:
    """pg:f:<id>:si|no: start or stop getting the iniciativa's hitos."""
    t = ctx.tr(state.locale)
    found = ctx.port(PROGRAMME).iniciativa(iniciativa)
    if found is None or found.barrio_id != ctx.me.barrio_id:
        return stale(state, ctx)
    ctx.port(PROGRAMME).follow(iniciativa, ctx.me.id, on == "si")
    note = (t._("Te avisaremos de cada novedad de esta iniciativa.") if on == "si"
            else t._("Listo: ya no recibirás las novedades de esta iniciativa."))
    return _iniciativa(state, ctx, iniciativa, note)


def _iniciativa(state: State, ctx: Context, iniciativa: int, note: str | None = None) -> Outcome:
    t = ctx.tr(state.locale)
    port = ctx.port(PROGRAMME)
    found = port.iniciativa(iniciativa)
    if found is None or found.barrio_id != ctx.me.barrio_id:
        return stale(state, ctx)
    parts = ["✅ " + note] if note else []
    parts.append(found.title(state.locale))
    if found.description(state.locale):
        parts.append(found.description(state.locale))
    facts = [t._("Ámbito: {ambito}", ambito=ambito(t, found.ambito)),
             t._("Costo estimado: {cost}", cost=t.money(found.cost)),
             t._("Estado: {status}", status=status_name(t, found.status)),
             t._("Avance: {progress}", progress=t.percent(found.progress / 100))]
    if found.urgencia:
        facts.insert(0, t._("Iniciativa de urgencia del barrio"))
    parts.append("\n".join(facts))
    if found.hitos:
        parts.append("\n".join([t._("Hitos:")] + [hito_line(t, h) for h in found.hitos[:MAX_HITOS]]))
    following = port.following(found.id, ctx.me.id)
    toggle = (Button(t._("Dejar de seguirla"), BUTTONS.data(follow, iniciativa=found.id, on="no")) if following
              else Button(t._("Seguir sus novedades"), BUTTONS.data(follow, iniciativa=found.id, on="si")))
    first = (toggle,)
    if ctx.me.is_motor and reporting.reportable(found):  # the grupo motor reports its advances (reporting.py)
        report = reporting.BUTTONS.data(reporting.start, iniciativa=found.id)
        first = (toggle, Button(t._("Informar un avance"), report))
    buttons = (first, *rows(Button(t._("Volver"), BUTTONS.data(show_barrio)), menu_button(t._("Menú")), per_row=2))
    return say(state.idle(), Reply("\n\n".join(parts), buttons, replace=True))


def _timeline(t: Translator, phases: list[PhaseView], today: date) -> str:
    if not phases:
        return t._("El programa aún no tiene fechas en tu barrio.")
    spans = [(p, Span(p.starts_on, p.ends_on).status(today)) for p in phases]
    active = [p for p, status in spans if status == PhaseStatus.ACTIVE]
    planned = [p for p, status in spans if status == PhaseStatus.PLANNED]
    lines = []
    for phase in active:
        lines.append(t._("Ahora: {phase} (hasta el {end}).", phase=phase_name(t, phase.phase),
                         end=t.day(phase.ends_on)))
    if not active and not planned:
        lines.append(t._("El programa terminó en tu barrio."))
    elif not active:
        lines.append(t._("El programa aún no empieza en tu barrio."))
    if planned:
        coming = planned[0]
        lines.append(t._("Lo que viene: {phase}, desde el {start}.", phase=phase_name(t, coming.phase),
                         start=t.day(coming.starts_on)))
    return "\n".join(lines)


BUTTONS = Buttons({
    "pg:home": show_barrio,
    "pg:ini:{iniciativa}": show_iniciativa,
    "pg:f:{iniciativa}:{on:si|no}": follow,
})

FLOW = Flow(
    commands=(
        Command("barrio", show_barrio, aliases=("iniciativas", "nuestrobarrio"),
                about=lambda t: t._("Nuestro barrio: la fase del programa y las iniciativas")),
    ),
    buttons=BUTTONS,
    menu=(Entry(lambda t: t._("Nuestro barrio"), show_barrio),),
)
