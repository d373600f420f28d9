"""Everything a flow step may consult besides the state and the event."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from conversations.kernel.i18n import Translator
from conversations.kernel.members import Directory, MemberView

if TYPE_CHECKING:
    from conversations.kernel.router import Chat

T = TypeVar("T")


class Port(Generic[T]):
    """The key under which a flow finds one of its storage ports: `ctx.port(SURVEYS)`.

    Each feature declares its key beside its port's Protocol; the process wires an
    implementation for every key of every feature it serves.
    """

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"Port({self.name!r})"


@dataclass
class Context:
    directory: Directory
    now: datetime
    bot_username: str
    chat: "Chat"  # the flows served: the menu and /ayuda list theirs
    ports: dict[Port[Any], Any] = field(default_factory=dict)
    default_timezone: str = "America/Santiago"
    max_photo_mb: float = 10.0  # the heaviest photo a vecino may send as an answer (setting MAX_PHOTO_MB)
    member: MemberView | None = None  # loaded by the router for joined vecinos
    _translators: dict[str, Translator] = field(default_factory=dict, repr=False)

    def port(self, key: Port[T]) -> T:
        """The storage port wired for `key`."""
        try:
            return self.ports[key]  # type: ignore[no-any-return]
        except KeyError:
            raise LookupError(f"{key!r} is not wired into this process") from None

    @property
    def me(self) -> MemberView:
        """The member talking; the router serves only joined people outside public commands."""
        if self.member is None:
            raise LookupError("no member: this handler is reached only by joined vecinos")
        return self.member

    def tr(self, locale: str) -> Translator:
        """A translator for `locale` in the member's barrio time zone."""
        if locale not in self._translators:
            tz = self.member.timezone if self.member else self.default_timezone
            self._translators[locale] = Translator(locale, tz)
        return self._translators[locale]
