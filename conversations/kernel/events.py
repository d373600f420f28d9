"""What a vecino did, in channel-neutral terms."""

from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    COMMAND = "command"  # text: command name without "/", arg: the rest
    TEXT = "text"  # text: what was typed
    BUTTON = "button"  # text: the button's data
    LOCATION = "location"  # a shared location: `place`
    PHOTO = "photo"  # `photo_sizes`: the sizes the channel offers of one photo (text: the largest's reference)
    OTHER = "other"  # text: what it was ("sticker", "voice", "edited", ...)


@dataclass(frozen=True)
class Place:
    """A point on the map, as a phone shares it; `accuracy` in metres when the phone says."""

    latitude: float
    longitude: float
    accuracy: float | None = None


@dataclass(frozen=True)
class PhotoSize:
    """One size of a photo as the channel keeps it: its reference (Telegram's file_id) and its weight."""

    reference: str
    size: int  # bytes; 0 when the channel does not say


@dataclass(frozen=True)
class Event:
    kind: Kind
    text: str = ""
    arg: str = ""
    lang_hint: str | None = None  # the client's language setting, before the vecino chooses
    display_name: str | None = None  # stored only if the vecino agrees to share it
    place: Place | None = None  # a LOCATION's point
    photo_sizes: tuple[PhotoSize, ...] = ()  # a PHOTO's sizes, the lightest first

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
    def photo(cls, *sizes: PhotoSize, **extra: str | None) -> "Event":
        """A photo sent, in every size the channel offers (which one is kept depends on the size limit)."""
        ordered = tuple(sorted(sizes, key=lambda s: s.size))
        return cls(Kind.PHOTO, ordered[-1].reference if ordered else "", photo_sizes=ordered, **extra)  # type: ignore[arg-type]

    @classmethod
    def other(cls, what: str, **extra: str | None) -> "Event":
        return cls(Kind.OTHER, what, **extra)  # type: ignore[arg-type]
