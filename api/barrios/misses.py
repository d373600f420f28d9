"""Codes typed in a chat that matched no barrio, remembered for a while: the limit on guessing codes.

Nothing about a person is stored before they consent, so these counts live in the process's
memory, keyed by the chat, and only for the period the rule looks back on
(conversations/barrios/codes.py). Several processes each count on their own, and a restart
forgets: a chat gets at most the rule's tries per process per period.
"""

from collections import OrderedDict, deque
from datetime import datetime

from conversations.barrios.codes import MISS_PERIOD

MAX_CHATS = 50_000  # beyond this, the chats that missed longest ago are forgotten


class CodeMisses:
    def __init__(self) -> None:
        self._chats: OrderedDict[tuple[str, str], deque[datetime]] = OrderedDict()

    def count(self, chat: tuple[str, str], since: datetime) -> int:
        misses = self._chats.get(chat)
        if misses is None:
            return 0
        while misses and misses[0] <= since:
            misses.popleft()
        if not misses:
            del self._chats[chat]
        return len(misses)

    def add(self, chat: tuple[str, str], at: datetime) -> None:
        misses = self._chats.pop(chat, None) or deque()
        while misses and misses[0] <= at - MISS_PERIOD:
            misses.popleft()
        misses.append(at)
        self._chats[chat] = misses
        if len(self._chats) > MAX_CHATS:
            self._chats.popitem(last=False)
