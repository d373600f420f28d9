"""The main menu: every flow's buttons for this member, and the shared hints."""

from conversations.kernel.context import Context
from conversations.kernel.replies import Button, Reply
from conversations.kernel.state import Outcome, State, say

MENU_DATA = "menu"  # the one button data that leads back to the menu, from every flow


def menu_button(label: str) -> Button:
    """A button back to the main menu, with the caller's (translated) label."""
    return Button(label, MENU_DATA)


def menu_reply(ctx: Context, state: State, text: str | None = None) -> Reply:
    t = ctx.tr(state.locale)
    return Reply(text or t._("¿Qué quieres hacer?"), ctx.chat.menu(ctx, state.locale))


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
