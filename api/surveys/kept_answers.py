"""The last version of each vecino's answers this process read or wrote, kept under its response's revision.

A chat update used to read all of the vecino's answers of a survey from the database (a long
form's hundreds); now it reads the response's row, whose `revision` changes with every change to
its answers (api/surveys/models.py), and reuses the version kept here when the response and the
revision are the ones it was kept under. Any writer, in any process, gives the row a new random
revision in the same transaction as its change, so a version kept here is never served once the
database holds something else: a different process's write, a rollback (its revision never
reached the database), retention blanking answers, /borrar deleting the response (no row, no
match; `drop_member` also lets go of it here at once).

Bounded by the answers held, not by vecinos: one vecina of a 300-question form weighs as much as
25 of a 12-question one. Least recently used first out, and whatever has not been used for
KEPT_SECONDS goes anyway: a vecina answering uses hers every few seconds, and a copy of answers
deleted elsewhere (another process's /borrar, a staff deletion) stays in memory no longer.
"""

import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from conversations.surveys.answers import Answers

KEPT_ANSWERS = 200_000  # answers in all; a few tens of MB at most
KEPT_SECONDS = 600.0

Key = tuple[int, str]  # (survey id, member id)


class KeptAnswers:
    def __init__(self, budget: int = KEPT_ANSWERS, seconds: float = KEPT_SECONDS,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.budget, self.seconds, self.clock = budget, seconds, clock
        self.used = 0
        self._kept: OrderedDict[Key, tuple[int, int, Answers]] = OrderedDict()  # response id, revision, answers
        self._used_at: dict[Key, float] = {}
        self._lock = threading.Lock()  # the chat (event loop) and the API (threadpool) share it

    def kept(self, key: Key) -> tuple[int, int, Answers] | None:
        """(response id, revision, answers) kept for `key`, if any."""
        with self._lock:
            self._expire()
            kept = self._kept.get(key)
            if kept is not None:
                self._kept.move_to_end(key)
                self._used_at[key] = self.clock()
            return kept

    def put(self, key: Key, response_id: int, revision: int, answers: Answers) -> None:
        weight = len(answers) + 1
        with self._lock:
            self._pop(key)
            if not revision or weight > self.budget:
                return  # 0: a row from before revisions, whose next change gives it one
            self._kept[key] = (response_id, revision, answers)
            self._used_at[key] = self.clock()
            self.used += weight
            self._expire()
            while self.used > self.budget:
                self._pop(next(iter(self._kept)))

    def drop(self, key: Key) -> None:
        with self._lock:
            self._pop(key)

    def drop_member(self, member_id: str) -> None:
        """Let go of everything kept of a member (deleted by /borrar)."""
        with self._lock:
            for key in [key for key in self._kept if key[1] == member_id]:
                self._pop(key)

    def _expire(self) -> None:
        """Let go of what was not used for `seconds` (the least recently used come first)."""
        limit = self.clock() - self.seconds
        while self._kept:
            oldest = next(iter(self._kept))
            if self._used_at[oldest] > limit:
                return
            self._pop(oldest)

    def _pop(self, key: Key) -> None:
        kept = self._kept.pop(key, None)
        if kept is not None:
            del self._used_at[key]
            self.used -= len(kept[2]) + 1

    def __len__(self) -> int:
        return len(self._kept)
