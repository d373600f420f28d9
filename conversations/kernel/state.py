"""Where one person is in the conversation; stored by the channel between events."""

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any

from conversations.kernel.replies import Reply

IDLE = "idle"


@dataclass(frozen=True)
class State:
    locale: str
    member_id: str | None = None
    step: str = IDLE
    data: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    forget: bool = False  # the person asked to be deleted: drop the stored state too

    @property
    def joined(self) -> bool:
        return self.member_id is not None

    def at(self, step: str, **data: Any) -> "State":
        """The same person, now at `step` with exactly `data`."""
        return replace(self, step=step, data=MappingProxyType(dict(data)))

    def idle(self) -> "State":
        return self.at(IDLE)

    def with_locale(self, locale: str) -> "State":
        return replace(self, locale=locale)


@dataclass(frozen=True)
class Outcome:
    state: State
    replies: tuple[Reply, ...]


def say(state: State, *replies: Reply) -> Outcome:
    return Outcome(state, replies)
