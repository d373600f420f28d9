"""Replies as Telegram messages with inline keyboards, and files as documents."""

from typing import Any

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputFile, MaybeInaccessibleMessage
from telegram.error import BadRequest

from conversations.kernel.replies import Keyboard, Reply

MAX_TEXT = 4096  # Telegram's limit for one message
MAX_CAPTION = 1024  # ... and for a document's caption


def keyboard(buttons: Keyboard) -> InlineKeyboardMarkup | None:
    if not buttons:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(b.label, callback_data=b.data) for b in row] for row in buttons]
    )


def reply_call(chat_id: int, reply: Reply, pressed: MaybeInaccessibleMessage | None = None) -> dict[str, Any]:
    """`reply` as one Bot API call in JSON, the form a webhook response carries: an edit of
    the pressed message when the reply replaces it, else a new message."""
    call: dict[str, Any] = {"method": "sendMessage", "chat_id": chat_id, "text": reply.text[:MAX_TEXT]}
    if reply.replace and pressed is not None and pressed.is_accessible:
        call.update(method="editMessageText", message_id=pressed.message_id)
    markup = keyboard(reply.buttons)
    if markup is not None:
        call["reply_markup"] = markup.to_dict()
    return call


async def send(bot: Bot, chat_id: int, replies: list[Reply], pressed: MaybeInaccessibleMessage | None = None) -> None:
    """Send the replies in order; a `replace` reply edits the message whose button was pressed."""
    for reply in replies:
        text, markup = reply.text[:MAX_TEXT], keyboard(reply.buttons)
        if reply.document is not None:
            attached = InputFile(reply.document.content, filename=reply.document.filename)
            await bot.send_document(chat_id, attached, caption=reply.text[:MAX_CAPTION], reply_markup=markup)
            continue
        if reply.replace and pressed is not None and pressed.is_accessible:
            try:
                await bot.edit_message_text(text, chat_id=chat_id, message_id=pressed.message_id,
                                            reply_markup=markup)
                continue
            except BadRequest as error:  # too old to edit, or unchanged: send it instead
                if "not modified" in str(error).lower():
                    continue
        await bot.send_message(chat_id, text, reply_markup=markup)
