"""Replies as Telegram messages with inline keyboards."""

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, MaybeInaccessibleMessage
from telegram.error import BadRequest

from conversations.replies import Keyboard, Reply

MAX_TEXT = 4096  # Telegram's limit for one message


def keyboard(buttons: Keyboard) -> InlineKeyboardMarkup | None:
    if not buttons:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(b.label, callback_data=b.data) for b in row] for row in buttons]
    )


async def send(bot: Bot, chat_id: int, replies: list[Reply],
               pressed: MaybeInaccessibleMessage | None = None) -> None:
    """Send the replies in order; a `replace` reply edits the message whose button was pressed."""
    for reply in replies:
        text, markup = reply.text[:MAX_TEXT], keyboard(reply.buttons)
        if reply.replace and pressed is not None and pressed.is_accessible:
            try:
                await bot.edit_message_text(text, chat_id=chat_id, message_id=pressed.message_id,
                                            reply_markup=markup)
                continue
            except BadRequest as error:  # too old to edit, or unchanged: send it instead
                if "not modified" in str(error).lower():
                    continue
        await bot.send_message(chat_id, text, reply_markup=markup)
