"""How a feature plugs its commands, buttons and typed-answer steps into the router."""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from conversations.kernel.context import Context
from conversations.kernel.events import Event
from conversations.kernel.i18n import Translator
from conversations.kernel.replies import Button
from conversations.kernel.state import Outcome, State

Handler = Callable[[State, Event, Context], Outcome]
MenuItems = Callable[[Context, Translator], Sequence[Button]]
HelpLines = Callable[[Translator], Sequence[str]]


@dataclass(frozen=True)
class Feature:
    """One feature's entry points.

    commands: command name (no slash) -> handler; aliases map to the same handler.
    buttons: button data prefix (before the first ":") -> handler.
    steps: state.step -> handler for typed text while at that step.
    prompts: state.step -> handler that asks the step's question again.
    menu: buttons this feature adds to the main menu for the current member.
    help: the feature's lines in /ayuda ("/votar — ...").
    public: commands and button prefixes usable before joining a barrio.
    """

    name: str
    commands: Mapping[str, Handler] = field(default_factory=dict)
    buttons: Mapping[str, Handler] = field(default_factory=dict)
    steps: Mapping[str, Handler] = field(default_factory=dict)
    prompts: Mapping[str, Handler] = field(default_factory=dict)
    menu: MenuItems | None = None
    help: HelpLines | None = None
    public: frozenset[str] = frozenset()
