"""Telegram updates as channel-neutral events."""

from dataclasses import dataclass

from telegram import Message, Update
from telegram.constants import ChatType

from api.chat.service import Address
from conversations.kernel.events import Event, PhotoSize, Place

CHANNEL = "telegram"


@dataclass(frozen=True)
class Incoming:
    address: Address
    event: Event
    chat_id: int
    private: bool


def to_incoming(update: Update) -> Incoming | None:
    """The event in `update`, or None when there is nobody to answer (e.g. a member update)."""
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        return None
    extra = {"lang_hint": user.language_code, "display_name": user.first_name}
    if update.callback_query is not None:
        event = Event.button(update.callback_query.data or "", **extra)
    elif update.edited_message is not None:
        event = Event.other("edited", **extra)
    elif update.message is not None:
        event = _message(update.message, extra)
    else:
        return None
    address = Address(CHANNEL, str(chat.id), str(user.id))
    return Incoming(address, event, chat.id, chat.type == ChatType.PRIVATE)


def _message(message: Message, extra: dict[str, str | None]) -> Event:
    """Text, a shared location, a photo (every size Telegram offers: its file_id and weight), or else what."""
    if message.text:
        return Event.parse(message.text, **extra)
    if message.location is not None:
        where = message.location
        return Event.location(Place(where.latitude, where.longitude, where.horizontal_accuracy), **extra)
    if message.photo:
        return Event.photo(*(PhotoSize(size.file_id, size.file_size or 0) for size in message.photo), **extra)
    return Event.other(_kind(message), **extra)


def _kind(message: Message) -> str:
    for kind in ("sticker", "photo", "voice", "audio", "video", "video_note", "document",
                 "location", "contact", "poll", "animation"):
        if getattr(message, kind, None):
            return kind
    return "unknown"
