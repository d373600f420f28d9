"""Outbox messages sent through the Telegram Bot API, with Telegram's answers as outcomes.

The sender gets its own `Bot` (its own HTTP connection pool), so a long broadcast never
queues behind, or in front of, the replies the Application sends to vecinos. Pacing,
claiming and bookkeeping live in api/outbox/sender.py; this module only translates.
"""

import asyncio
import logging

from telegram import Bot
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError, TimedOut

from api.kernel.metrics import Metrics
from api.outbox.sender import SENT_OK, Deliver, Message, OutboxWorker, Outcome, Sender
from bot.render import MAX_TEXT, keyboard
from bot.transport import telegram_request
from conversations.kernel.replies import keyboard_from_json

log = logging.getLogger(__name__)

# When the Bot API does not answer at all, every process waits this long and tries again,
# without spending the message's tries: an outage delays messages, it never fails them.
API_UNREACHABLE_PAUSE = 5.0


def outbox_bot(token: str, api_url: str) -> Bot:
    """A Bot for the outbox alone, against Telegram's or a self-hosted Bot API server."""
    base = api_url.rstrip("/")
    request = telegram_request(connections=64, pool_timeout=10.0)
    return Bot(token, base_url=f"{base}/bot", base_file_url=f"{base}/file/bot", request=request)


def telegram_deliver(bot: Bot) -> Deliver:
    async def deliver(message: Message) -> Outcome:
        """Send one outbox row; map Telegram's answer to what the outbox should do."""
        markup = keyboard(keyboard_from_json(message.buttons))
        try:
            await bot.send_message(int(message.chat_id), message.text[:MAX_TEXT], reply_markup=markup)
        except RetryAfter as error:
            seconds = error.retry_after  # int in PTB 22, timedelta later
            wait = seconds.total_seconds() if hasattr(seconds, "total_seconds") else float(seconds)
            return Outcome("retry_after", retry_after=wait, error=f"Telegram asked to wait {wait:g} s", throttled=True)
        except Forbidden as error:  # blocked the bot, or deleted their account
            return Outcome("blocked", error=str(error))
        except BadRequest as error:
            if "chat not found" in str(error).lower():
                return Outcome("blocked", error=str(error))
            return Outcome("error", error=str(error))
        except (TimedOut, NetworkError) as error:
            if isinstance(error, TimedOut) or str(error).startswith("httpx."):  # no answer at all
                return Outcome("retry_after", retry_after=API_UNREACHABLE_PAUSE,
                               error=f"Bot API unreachable: {error}")
            return Outcome("error", error=f"{type(error).__name__}: {error}")  # a 5xx: counts as a try
        except TelegramError as error:
            return Outcome("error", error=f"{type(error).__name__}: {error}")
        return SENT_OK

    return deliver


async def run_outbox(worker: OutboxWorker, bot: Bot, metrics: Metrics | None = None) -> None:
    """The background task of `serve`: send the outbox until cancelled; then finish the messages in
    flight and hand back the rest."""
    async with bot:
        sender = Sender(worker, telegram_deliver(bot), metrics=metrics)
        try:
            await sender.run()
        except asyncio.CancelledError:
            await sender.shutdown()
            raise
