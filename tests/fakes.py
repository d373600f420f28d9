"""In-memory ports for testing conversations as pure tables (no database)."""

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from conversations.kernel.context import Context
from conversations.kernel.events import Event
from conversations.kernel.members import BarrioRef, MemberView
from conversations.kernel.router import handle
from conversations.kernel.state import State

NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)


@dataclass
class MemoryDirectory:
    barrios: dict[str, BarrioRef] = field(default_factory=dict)  # code -> barrio
    members: dict[str, MemberView] = field(default_factory=dict)
    counts: dict[str, dict[str, int]] = field(default_factory=dict)

    def barrio_by_code(self, code: str) -> BarrioRef | None:
        return self.barrios.get(code)

    def join(self, *, barrio_id: int, role: str, locale: str) -> str:
        name = next(b.name for b in self.barrios.values() if b.id == barrio_id)
        member_id = f"v{len(self.members) + 1:012d}"
        self.members[member_id] = MemberView(
            id=member_id, barrio_id=barrio_id, barrio_name=name, timezone="America/Santiago",
            locale=locale, role=role, subscribed=True, share_name=False, display_name=None, joined_at=NOW,
        )
        return member_id

    def member(self, member_id: str) -> MemberView | None:
        return self.members.get(member_id)

    def update_member(self, member_id: str, *, locale: str | None = None, role: str | None = None,
                      subscribed: bool | None = None) -> None:
        current = self.members[member_id]
        self.members[member_id] = replace(
            current, locale=locale or current.locale, role=role or current.role,
            subscribed=current.subscribed if subscribed is None else subscribed,
        )

    def records(self, member_id: str) -> Mapping[str, int]:
        return self.counts.get(member_id, {})

    def delete_member(self, member_id: str) -> None:
        self.members.pop(member_id, None)


@dataclass
class Chat:
    """One person's conversation, stepped event by event as the service would."""

    ctx_factory: object
    state: State = field(default_factory=lambda: State(locale="es"))

    def send(self, event: Event) -> list[str]:
        ctx = self.ctx_factory()  # type: ignore[operator]
        outcome = handle(self.state, event, ctx)
        self.state = outcome.state
        self.last = outcome.replies
        return [reply.text for reply in outcome.replies]

    def say(self, text: str) -> list[str]:
        return self.send(Event.parse(text))

    def press(self, data: str) -> list[str]:
        return self.send(Event.button(data))

    @property
    def buttons(self) -> list[str]:
        return [b.data for reply in self.last for row in reply.buttons for b in row]


def memory_context(directory: MemoryDirectory, **ports: object) -> Context:
    return Context(directory=directory, now=NOW, bot_username="TestBot", **ports)  # type: ignore[arg-type]
