"""Voting on the barrio's iniciativas from the chat: choose with buttons, review, confirm.

    /votar, or "Votaciones" in the menu     bl:list
      -> one ballot: iniciativas, rule,      bl:<id>
         toggles and a running total         bl:<id>:t:<index>
      -> review the full choice              bl:<id>:rv
      -> confirm; a receipt                  bl:<id>:ok

The draft lives in the conversation state; only a confirmed choice is stored, and the
rule is checked again at confirmation. Every button re-checks that the ballot belongs to
the vecino's barrio and is open, so an old or forged button never changes a count.
The table at the bottom (`FLOW`) declares the command, button formats and step.
"""

from collections.abc import Callable, Sequence

from conversations.ballots.ports import BALLOTS, BallotStatus, BallotView
from conversations.ballots.rules import RANKED, check, toggle
from conversations.ballots.texts import (
    choice_lines,
    instruction,
    option_line,
    place,
    problem_text,
    progress,
    results_text,
)
from conversations.kernel.buttons import Buttons
from conversations.kernel.context import Context
from conversations.kernel.events import Event, Kind
from conversations.kernel.feature import Command, Entry, Flow, Step
from conversations.kernel.i18n import Translator
from conversations.kernel.menu import hint, menu_button, menu_reply, show_menu, stale
from conversations.kernel.replies import Button, Reply, rows
from conversations.kernel.state import Outcome, State, say

STEP = "ballot"  # stored in the conversation while a choice is being made
LISTING_LIMIT = 3000  # characters; a Telegram message holds 4096


def list_ballots(state: State, event: Event, ctx: Context) -> Outcome:
    """/votar or bl:list: the open ballots of the vecino's barrio, and the results of the closed ones."""
    t = ctx.tr(state.locale)
    member, port = ctx.me, ctx.port(BALLOTS)
    ballots = [b.in_language(state.locale) for b in port.open_ballots(member.barrio_id, ctx.now)]
    closed = [b.in_language(state.locale) for b in port.closed_ballots(member.barrio_id)]
    keep = state if state.step == STEP else state.idle()  # a draft survives a look at the list
    if not ballots and not closed:
        return hint(state.idle(), ctx, t._(
            "No hay votaciones abiertas en tu barrio ahora. Te avisaremos cuando abra una."
        ))
    lines, buttons = [], []
    if ballots:
        lines.append(t._("Votaciones abiertas en {barrio}:", barrio=member.barrio_name))
    else:
        lines.append(t._("No hay votaciones abiertas en tu barrio ahora. Te avisaremos cuando abra una."))
    for ballot in ballots:
        voted = port.my_vote(ballot.id, member.id) is not None
        status = t._("ya votaste; puedes cambiar tu voto") if voted else t._("aún no votas")
        lines.append(t._("• {title} — cierra el {date} ({status})", title=ballot.title,
                         date=t.datetime(ballot.closes_at), status=status))
        label = ("✅ " if voted else "🗳 ") + ballot.title[:60]
        buttons.append(Button(label, BUTTONS.data(show_ballot, ballot=ballot.id)))
    if closed:
        lines.append(t._("Resultados de votaciones cerradas: toca una para verlos."))
        buttons.extend(Button("📊 " + ballot.title[:60], BUTTONS.data(show_results, ballot=ballot.id))
                       for ballot in closed)
    buttons.append(menu_button(t._("Volver al menú")))
    return say(keep, Reply("\n".join(lines), rows(*buttons), replace=event.kind is Kind.BUTTON))


def show_results(state: State, _event: Event, ctx: Context, *, ballot: int) -> Outcome:
    """bl:<id>:res: the results of a closed ballot of the vecino's barrio."""
    port = ctx.port(BALLOTS)
    found = port.ballot(ballot)
    if found is None or found.barrio_id != ctx.me.barrio_id or found.status != BallotStatus.CLOSED:
        return stale(state, ctx)
    t = ctx.tr(state.locale)
    counted, members = port.results(found.id)
    found = found.in_language(state.locale)
    buttons = rows(Button(t._("Volver"), BUTTONS.data(list_ballots)), menu_button(t._("Volver al menú")), per_row=2)
    return say(state.idle(), Reply(results_text(t, found, counted, members), buttons))


def show_ballot(state: State, _event: Event, ctx: Context, *, ballot: int) -> Outcome:
    """bl:<id>: the ballot, with the draft (or the stored vote) marked."""
    return _open(state, ctx, ballot, lambda found: _screen(state, ctx, found, _draft(state, ctx, found)))


def toggle_option(state: State, _event: Event, ctx: Context, *, ballot: int, index: int) -> Outcome:
    """bl:<id>:t:<index>: add the iniciativa to the draft, or take it out."""
    return _open(state, ctx, ballot, lambda found: _toggle(state, ctx, found, index))


def review_vote(state: State, _event: Event, ctx: Context, *, ballot: int) -> Outcome:
    """bl:<id>:rv: the full choice, to confirm or change."""
    return _open(state, ctx, ballot, lambda found: _review(state, ctx, found))


def confirm_vote(state: State, _event: Event, ctx: Context, *, ballot: int) -> Outcome:
    """bl:<id>:ok: store the choice (the rule checked again) and give a receipt."""
    return _open(state, ctx, ballot, lambda found: _confirm(state, ctx, found))


def reprompt(state: State, event: Event, ctx: Context) -> Outcome:
    """Show the ballot being filled again (after a sticker or an edited message)."""
    ballot = ctx.port(BALLOTS).ballot(int(state.data.get("ballot", 0)))
    if ballot is None or ballot.barrio_id != ctx.me.barrio_id:
        return show_menu(state, event, ctx)
    if not ballot.is_open(ctx.now):
        return _not_open(state, ctx, ballot.in_language(state.locale))
    shown = ballot.in_language(state.locale)
    return _screen(state, ctx, shown, _draft(state, ctx, shown), replace=False)


def _open(state: State, ctx: Context, ballot_id: int, then: Callable[[BallotView], Outcome]) -> Outcome:
    """`then` on the ballot when it is of the vecino's barrio and open; else stale, or why it is not open."""
    ballot = ctx.port(BALLOTS).ballot(ballot_id)
    if ballot is None or ballot.barrio_id != ctx.me.barrio_id:
        return stale(state, ctx)
    if not ballot.is_open(ctx.now):
        return _not_open(state, ctx, ballot.in_language(state.locale))
    return then(ballot.in_language(state.locale))


def _draft(state: State, ctx: Context, ballot: BallotView) -> tuple[int, ...]:
    """The choice being made: the draft in the state, else the stored vote, else nothing."""
    if state.step == STEP and state.data.get("ballot") == ballot.id:
        return tuple(int(i) for i in state.data.get("pick", ()))
    return ctx.port(BALLOTS).my_vote(ballot.id, ctx.me.id) or ()


def _at(state: State, ballot: BallotView, pick: Sequence[int]) -> State:
    return state.at(STEP, ballot=ballot.id, pick=list(pick))


def _screen(state: State, ctx: Context, ballot: BallotView, pick: Sequence[int],
            note: str | None = None, replace: bool = True) -> Outcome:
    t = ctx.tr(state.locale)
    parts = ["⚠️ " + note] if note else []
    parts.append("🗳 " + ballot.title)
    if ballot.description:
        parts.append(ballot.description)
    parts.append(instruction(t, ballot.rules) + " "
                 + t._("Cierra el {date}.", date=t.datetime(ballot.closes_at)))
    listing = "\n".join(option_line(t, o) for o in ballot.options)
    if len(listing) > LISTING_LIMIT:  # many long descriptions: keep the message within Telegram's limit
        listing = "\n".join(option_line(t, o, short=True) for o in ballot.options)
    parts.append(listing)
    parts.append(progress(t, ballot, pick))
    buttons = [Button(_mark(t, ballot, pick, o.index) + f"{o.index + 1}. {o.title}"[:60],
                      BUTTONS.data(toggle_option, ballot=ballot.id, index=o.index)) for o in ballot.options]
    buttons.append(Button(t._("Revisar y confirmar"), BUTTONS.data(review_vote, ballot=ballot.id)))
    buttons.append(Button(t._("Volver"), BUTTONS.data(list_ballots)))
    return say(_at(state, ballot, pick), Reply("\n\n".join(parts), rows(*buttons), replace=replace))


def _mark(t: Translator, ballot: BallotView, pick: Sequence[int], index: int) -> str:
    if index not in pick:
        return "⬜ "
    return place(t, pick.index(index) + 1) + " " if ballot.rules.method == RANKED else "✅ "


def _toggle(state: State, ctx: Context, ballot: BallotView, index: int) -> Outcome:
    if index not in {o.index for o in ballot.options}:
        return stale(state, ctx)
    current = _draft(state, ctx, ballot)
    pick, problem = toggle(ballot.rules, ballot.options, current, index)
    ctx.port(BALLOTS).start(ballot.id, ctx.me.id, ctx.now)
    t = ctx.tr(state.locale)
    note = problem_text(t, ballot, current, problem) if problem else None
    return _screen(state, ctx, ballot, pick, note)


def _review(state: State, ctx: Context, ballot: BallotView) -> Outcome:
    t = ctx.tr(state.locale)
    pick = _draft(state, ctx, ballot)
    problem = check(ballot.rules, ballot.options, pick)
    if problem is not None:
        return _screen(state, ctx, ballot, pick, problem_text(t, ballot, pick, problem))
    text = "\n".join([
        t._("Revisa tu voto en «{title}»:", title=ballot.title),
        *choice_lines(t, ballot, pick),
        "",
        t._("¿Lo confirmas? Podrás cambiarlo hasta el cierre."),
    ])
    buttons = rows(Button(t._("Confirmar mi voto"), BUTTONS.data(confirm_vote, ballot=ballot.id)),
                   Button(t._("Cambiar"), BUTTONS.data(show_ballot, ballot=ballot.id)), per_row=2)
    return say(_at(state, ballot, pick), Reply(text, buttons, replace=True))


def _confirm(state: State, ctx: Context, ballot: BallotView) -> Outcome:
    t = ctx.tr(state.locale)
    member, port = ctx.me, ctx.port(BALLOTS)
    if not (state.step == STEP and state.data.get("ballot") == ballot.id):
        stored = port.my_vote(ballot.id, member.id)
        note = t._("Tu voto en «{title}» ya está registrado y cuenta una sola vez. Para cambiarlo, elige "
                   "de nuevo y confirma.", title=ballot.title) if stored is not None \
            else t._("No encontré tu selección; elige de nuevo, por favor.")
        return _screen(state, ctx, ballot, stored or (), note)
    pick = _draft(state, ctx, ballot)
    problem = check(ballot.rules, ballot.options, pick)
    if problem is not None:
        return _screen(state, ctx, ballot, pick, problem_text(t, ballot, pick, problem))
    replaced = port.cast(ballot.id, member.id, pick, ctx.now)
    head = (t._("Listo: cambiaste tu voto en «{title}». Sigue contando un solo voto tuyo.", title=ballot.title)
            if replaced else t._("¡Listo! Tu voto en «{title}» quedó registrado.", title=ballot.title))
    receipt = "\n".join([
        head,
        *choice_lines(t, ballot, pick),
        t._("Registrado el {date}. Puedes cambiarlo hasta el {close}.", date=t.datetime(ctx.now),
            close=t.datetime(ballot.closes_at)),
    ])
    done = state.idle()
    return say(done, Reply(receipt, replace=True), menu_reply(ctx, done))


def _not_open(state: State, ctx: Context, ballot: BallotView) -> Outcome:
    t = ctx.tr(state.locale)
    if ballot.status == BallotStatus.SCHEDULED and ctx.now < ballot.closes_at:
        text = t._("La votación «{title}» aún no abre. Te avisaremos cuando empiece.", title=ballot.title)
    elif ballot.status == BallotStatus.CANCELLED:
        text = t._("La votación «{title}» fue cancelada: no se pueden registrar votos.", title=ballot.title)
    else:
        text = t._("La votación «{title}» ya cerró: no se pueden registrar ni cambiar votos.", title=ballot.title)
        if ballot.status == BallotStatus.CLOSED:
            buttons = rows(Button(t._("Ver resultados"), BUTTONS.data(show_results, ballot=ballot.id)),
                           menu_button(t._("Volver al menú")), per_row=2)
            return say(state.idle(), Reply(text, buttons))
    return hint(state.idle(), ctx, text)


BUTTONS = Buttons({
    "bl:list": list_ballots,
    "bl:{ballot}": show_ballot,
    "bl:{ballot}:t:{index}": toggle_option,
    "bl:{ballot}:rv": review_vote,
    "bl:{ballot}:ok": confirm_vote,
    "bl:{ballot}:res": show_results,
})

FLOW = Flow(
    steps={STEP: Step(again=reprompt)},
    commands=(
        Command("votar", list_ballots, aliases=("vote", "votaciones"),
                about=lambda t: t._("Votar por las iniciativas")),
    ),
    buttons=BUTTONS,
    menu=(Entry(lambda t: t._("Votaciones"), list_ballots),),
)
