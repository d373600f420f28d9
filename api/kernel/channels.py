"""What the process's chat channels lend the features: the files vecinos sent, fetched from the channel.

A feature's job or route that needs a channel asks for it here; the composition root (bot/main.py)
wires the real one (bot/files.py for Telegram) only when that channel runs, so `api/` never
imports `bot/`.
"""

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Fetched:
    """A file's bytes as the channel gave them, and what they are (image/jpeg, ...)."""

    content: bytes
    content_type: str


class Unavailable(Exception):
    """The channel could not be reached or refused for now (network, 5xx, 429): try again later."""


class PhotoSource(Protocol):
    def fetch(self, reference: str) -> Fetched | None:
        """The photo's bytes, or None when the channel no longer has it or it weighs more than the limit
        (for good); raises Unavailable when it may work later."""
        ...


@dataclass(frozen=True)
class Channels:
    """What the channels running in this process offer; None where none does (no bot token: no photos)."""

    photos: PhotoSource | None = None
