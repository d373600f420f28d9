"""One entry point for every event: find the flow step that serves it.

Order of dispatch: commands, then buttons (by their data's format), then typed text for
the current step. Anything else, or anything a step cannot use, gets a short translated
hint and the menu: a vecino never meets silence. Someone who has not joined a barrio is
served by the one flow that declares `joining`, except for public commands and buttons.
"""

from collections.abc import Sequence
from typing import Any

from conversations.kernel.buttons import ButtonHandler, Buttons
from conversations.kernel.context import Context
from conversations.kernel.events import Event, Kind
from conversations.kernel.feature import Command, Flow, Handler, Joining, Step
from conversations.kernel.i18n import Translator, negotiate
from conversations.kernel.menu import MENU_DATA, hint, show_menu, stale
from conversations.kernel.replies import Button, Reply, rows
from conversations.kernel.state import Outcome, State

# The kernel's own flow: /menu and the one "back to the menu" button every flow uses.
MENU = Flow(
    commands=(Command("menu", show_menu, about=lambda t: t._("Ver las opciones")),),
    buttons=Buttons({MENU_DATA: show_menu}),
)


class Chat:
    """The flows one process serves, their commands, buttons and steps indexed once."""

    def __init__(self, flows: Sequence[Flow]) -> None:
        self.flows = (MENU, *flows)
        joining = [flow.joining for flow in self.flows if flow.joining is not None]
        if len(joining) != 1:
            raise ValueError("exactly one flow must serve people before they join")
        self.joining: Joining = joining[0]
        self.commands: dict[str, Command] = {}
        self.buttons: dict[str, list[tuple[Buttons, Any]]] = {}
        self.steps: dict[str, Step] = {}
        for flow in self.flows:
            for command in flow.commands:
                for name in command.names:
                    if name in self.commands:
                        raise ValueError(f"/{name} is declared twice")
                    self.commands[name] = command
            for format_ in flow.buttons:
                self.buttons.setdefault(format_.prefix, []).append((flow.buttons, format_))
            for step, handlers in flow.steps.items():
                if step in self.steps:
                    raise ValueError(f"step {step!r} is declared twice")
                self.steps[step] = handlers

    def handle(self, state: State, event: Event, ctx: Context) -> Outcome:
        """Step the conversation of one person by one event."""
        if state.joined:
            ctx.member = ctx.directory.member(state.member_id or "")
            if ctx.member is None:  # deleted elsewhere (ejecutor, another device): start over
                state = State(locale=state.locale, forget=True)
        if event.kind is Kind.COMMAND:
            return self._command(state, event, ctx)
        if event.kind is Kind.BUTTON:
            return self._button(state, event, ctx)
        if not state.joined:
            if event.kind is Kind.TEXT:
                return self.joining.typed(state, event, ctx)
            return self.joining.ask(state, ctx)
        if event.kind is Kind.TEXT:
            step = self.steps.get(state.step)
            if step is not None and step.on_text is not None:
                return step.on_text(state, event, ctx)
            t = ctx.tr(state.locale)
            return hint(state, ctx, t._("No entendí ese mensaje. Usa los botones o escribe /ayuda."))
        if event.kind in (Kind.LOCATION, Kind.PHOTO):
            step = self.steps.get(state.step)
            if step is not None and step.on_media is not None:
                return step.on_media(state, event, ctx)
        return self._other(state, event, ctx)

    def about(self, t: Translator) -> list[tuple[str, str]]:
        """(command, what it does) for every command that says what it does, in flow order."""
        return [(c.name, c.about(t)) for flow in self.flows for c in flow.commands if c.about is not None]

    def menu(self, ctx: Context, locale: str) -> tuple[tuple[Button, ...], ...]:
        """Every flow's main-menu buttons for this member."""
        t = ctx.tr(locale)
        items = [Button(entry.label(t), flow.buttons.data(entry.handler))
                 for flow in self.flows for entry in flow.menu if entry.shown is None or entry.shown(ctx)]
        return rows(*items, per_row=2)

    def _command(self, state: State, event: Event, ctx: Context) -> Outcome:
        command = self.commands.get(event.text)
        if not state.joined and (command is None or not command.public):
            return self.joining.ask(state, ctx)
        if command is None:
            t = ctx.tr(state.locale)
            return hint(state, ctx, t._("No conozco el comando /{command}.", command=event.text[:32]))
        return command.handler(state, event, ctx)

    def _button(self, state: State, event: Event, ctx: Context) -> Outcome:
        found = self._decode(event.text)
        if found is None or (not state.joined and not found[0].public):
            if not state.joined:
                return self.joining.ask(state, ctx)
            return stale(state, ctx)
        _, handler, fields = found
        return handler(state, event, ctx, **fields)  # type: ignore[no-any-return]

    def _decode(self, data: str) -> tuple[Buttons, ButtonHandler, dict[str, object]] | None:
        for table, format_ in self.buttons.get(data.partition(":")[0], ()):
            fields = format_.decode(data)
            if fields is not None:
                return table, format_.handler, fields
        return None

    def _other(self, state: State, event: Event, ctx: Context) -> Outcome:
        t = ctx.tr(state.locale)
        if event.text == "edited":
            text = t._("Vi que editaste un mensaje. Si querías cambiar una respuesta, envíala de nuevo.")
        else:
            text = t._("Solo puedo leer texto y botones; no fotos, audios ni stickers.")
        step = self.steps.get(state.step)
        if step is None or step.again is None:
            return hint(state, ctx, text)
        again = step.again(state, event, ctx)
        return Outcome(again.state, (Reply(text), *again.replies))


def in_group(event: Event) -> list[Reply]:
    """What a group chat gets: taking part is one to one (answers and votes are personal),
    so a command there is pointed to a private chat and anything else is left alone."""
    if event.kind is not Kind.COMMAND:
        return []
    t = Translator(negotiate(event.lang_hint))
    return [Reply(t._("Escríbeme por mensaje privado para participar en tu barrio."))]


__all__ = ["MENU", "Chat", "Handler", "in_group"]
