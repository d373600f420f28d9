"""What the service says back: text plus optional rows of buttons, or a file with a caption."""

from dataclasses import dataclass

MAX_BUTTON_DATA = 64  # bytes; Telegram's limit for callback data


@dataclass(frozen=True)
class Button:
    label: str
    data: str

    def __post_init__(self) -> None:
        if len(self.data.encode()) > MAX_BUTTON_DATA:
            raise ValueError(f"button data over {MAX_BUTTON_DATA} bytes: {self.data!r}")


Keyboard = tuple[tuple[Button, ...], ...]


@dataclass(frozen=True)
class Document:
    """A file sent to the person (their data download); channels render it as an attachment."""

    filename: str
    content: bytes


@dataclass(frozen=True)
class Reply:
    text: str
    buttons: Keyboard = ()
    replace: bool = False  # edit the message whose button was pressed, instead of a new one
    document: Document | None = None  # a file attached; `text` is then its caption


def rows(*buttons: Button, per_row: int = 1) -> Keyboard:
    """Lay buttons out in rows of `per_row`."""
    return tuple(buttons[i : i + per_row] for i in range(0, len(buttons), per_row))


def keyboard_to_json(buttons: Keyboard) -> list[list[dict[str, str]]]:
    """Buttons as stored in the database (outbox rows, replies kept for redelivery)."""
    return [[{"text": b.label, "data": b.data} for b in row] for row in buttons]


def keyboard_from_json(rows_: list[list[dict[str, str]]]) -> Keyboard:
    return tuple(tuple(Button(b["text"], b["data"]) for b in row) for row in rows_)
