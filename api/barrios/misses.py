"""Codes typed in a chat that matched no barrio, counted for a while: the limit on guessing codes.

Counted in the database for every process together (api/kernel/shared_limits.py), in the
chat event's own transaction. Nothing about a person is stored before they consent, so the
count is keyed by a hash of the chat, not the chat itself, and the periodic pruning drops it
once its period (conversations/barrios/codes.py) is over.
"""

import hashlib
from datetime import datetime

from sqlmodel import Session

from api.kernel import shared_limits
from conversations.barrios.codes import MISS_PERIOD


def _key(channel: str, chat_id: str) -> str:
    return "code:" + hashlib.sha256(f"{channel}:{chat_id}".encode()).hexdigest()


def count(session: Session, channel: str, chat_id: str, since: datetime) -> int:
    """The chat's misses in its current period, when that period started after `since`."""
    return shared_limits.count_since(session.connection(), _key(channel, chat_id), since)


def add(session: Session, channel: str, chat_id: str, at: datetime) -> None:
    shared_limits.hit(session.connection(), _key(channel, chat_id), at, MISS_PERIOD)
