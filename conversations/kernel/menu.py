"""The main menu: every feature's buttons for this member, and the shared hints."""

from conversations.kernel.context import Context
from conversations.kernel.registry import features
from conversations.kernel.replies import Button, Reply, rows
from conversations.kernel.state import Outcome, State, say


def menu_buttons(ctx: Context, locale: str) -> tuple[tuple[Button, ...], ...]:
    t = ctx.tr(locale)
    items: list[Button] = []
    for feature in features():
        if feature.menu is not None:
            items.extend(feature.menu(ctx, t))
    return rows(*items, per_row=2)


def menu_reply(ctx: Context, state: State, text: str | None = None) -> Reply:
    t = ctx.tr(state.locale)
    return Reply(text or t._("¿Qué quieres hacer?"), menu_buttons(ctx, state.locale))


def show_menu(state: State, _event: object, ctx: Context) -> Outcome:
    """Show the main menu and leave any half-done step."""
    return say(state.idle(), menu_reply(ctx, state))


def hint(state: State, ctx: Context, text: str) -> Outcome:
    """A short explanation, then the menu (the state is kept: the vecino may go on)."""
    return say(state, menu_reply(ctx, state, text))


def stale(state: State, ctx: Context) -> Outcome:
    """An old or forged button: say so, and show what is current."""
    t = ctx.tr(state.locale)
    return hint(state, ctx, t._("Ese botón ya no está vigente. Este es el menú actual:"))
