"""What one flow of a feature contributes to the chat, declared in one table.

A flow lists its commands (with the line /ayuda and Telegram's command menu show), its
button formats (conversations/kernel/buttons.py), its steps (what typed text does at each
one, and how to ask its question again) and the entries it adds to the main menu (each a
label and one of its buttons, maybe for some members only). Read
top to bottom, the table is the flow, as python-telegram-bot's
`ConversationHandler(states=...)` is.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from conversations.kernel.buttons import ButtonHandler, Buttons
from conversations.kernel.context import Context
from conversations.kernel.events import Event
from conversations.kernel.i18n import Translator
from conversations.kernel.state import Outcome, State

Handler = Callable[[State, Event, Context], Outcome]
About = Callable[[Translator], str]


@dataclass(frozen=True)
class Command:
    """`/name` (and its aliases) reaching `handler`; `about` is its line in /ayuda and the command menu."""

    name: str
    handler: Handler
    aliases: tuple[str, ...] = ()
    about: About | None = None
    public: bool = False  # usable before joining a barrio

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class Step:
    """A step of a flow: what typed text does there, what a shared location or a photo does
    there, and how to ask its question again (after a sticker, an edited message). Any may be
    missing: text then gets a hint, a location or a photo is treated as a sticker."""

    on_text: Handler | None = None
    again: Handler | None = None
    on_media: Handler | None = None


@dataclass(frozen=True)
class Entry:
    """A button of the main menu: its label, the button handler of the flow it reaches, and
    whom it is shown to (`shown(ctx)`; everyone when missing)."""

    label: About
    handler: ButtonHandler
    shown: Callable[[Context], bool] | None = None


def for_motor(ctx: Context) -> bool:
    """Shown to the grupo motor only."""
    return ctx.member is not None and ctx.member.is_motor


@dataclass(frozen=True)
class Joining:
    """What serves someone who has not joined a barrio: their typed text, and the invitation."""

    typed: Handler
    ask: Callable[[State, Context], Outcome]


@dataclass(frozen=True)
class Flow:
    """One flow, in the order it reads: its steps, the commands into it, its buttons, its menu entries."""

    steps: Mapping[str, Step] = field(default_factory=dict)
    commands: Sequence[Command] = ()
    buttons: Buttons = field(default_factory=Buttons)
    menu: Sequence[Entry] = ()
    joining: Joining | None = None  # exactly one flow serves people before they join
