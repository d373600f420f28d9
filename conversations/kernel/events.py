"""What a vecino did, in channel-neutral terms."""

from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    COMMAND = "command"  # text: command name without "/", arg: the rest
    TEXT = "text"  # text: what was typed
    BUTTON = "button"  # text: the button's data
    LOCATION = "location"  # a shared location: `place`
    PHOTO = "photo"  # text: the channel's reference to the photo (Telegram's file_id), arg: its size in bytes
    OTHER = "other"  # text: what it was ("sticker", "voice", "edited", ...)


@dataclass(frozen=True)
class Place:
    """A point on the map, as a phone shares it; `accuracy` in metres when the phone says."""

    latitude: float
    longitude: float
    accuracy: float | None = None


@dataclass(frozen=True)
class Event:
    kind: Kind
    text: str = ""
    arg: str = ""
    lang_hint: str | None = None  # the client's language setting, before the vecino chooses
    display_name: str | None = None  # stored only if the vecino agrees to share it
    place: Place | None = None  # a LOCATION's point

    @classmethod
    def parse(cls, text: str, **extra: str | None) -> "Event":
        """A typed message: a command when it starts with "/", plain text otherwise."""
        stripped = text.strip()
        if stripped.startswith("/") and len(stripped) > 1:
            head, _, arg = stripped[1:].partition(" ")
            name = head.split("@", 1)[0].lower()
            return cls(Kind.COMMAND, name, arg.strip(), **extra)  # type: ignore[arg-type]
        return cls(Kind.TEXT, stripped, **extra)  # type: ignore[arg-type]

    @classmethod
    def button(cls, data: str, **extra: str | None) -> "Event":
        return cls(Kind.BUTTON, data, **extra)  # type: ignore[arg-type]

    @classmethod
    def location(cls, place: Place, **extra: str | None) -> "Event":
        return cls(Kind.LOCATION, place=place, **extra)  # type: ignore[arg-type]

    @classmethod
    def photo(cls, reference: str, size: int, **extra: str | None) -> "Event":
        return cls(Kind.PHOTO, reference, str(size), **extra)  # type: ignore[arg-type]

    @classmethod
    def other(cls, what: str, **extra: str | None) -> "Event":
        return cls(Kind.OTHER, what, **extra)  # type: ignore[arg-type]
