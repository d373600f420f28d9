"""One version of a vecina's answers, never changed in place.

The chat stores an answer, then the calculations it changes, then forgets what no longer
applies: each step makes a new version with `but()`, which remembers the version it came
from (weakly) and the keys it changed. What the form derives from a version (which
questions apply, the stale answers, each repeat's count: see evaluation.py) is then worked
out from the parent's by looking at those keys only, instead of comparing every answer.
"""

import weakref
from collections.abc import Iterable, Mapping
from itertools import compress, repeat
from operator import ne
from typing import Any, NoReturn

_GONE = object()  # no answer at all (not even None)


class Answers(dict[str, Any]):
    """Answers by key ("barrio", "edad#2"), frozen: a plain dict underneath, so lookups cost what a dict's do."""

    __slots__ = ("__weakref__", "changed", "parent")

    def __init__(self, items: Mapping[str, Any] | None = None, parent: "Answers | None" = None,
                 changed: frozenset[str] = frozenset()) -> None:
        super().__init__(items or ())
        self.parent = None if parent is None else weakref.ref(parent)
        self.changed = changed  # the keys that differ from the parent's

    @classmethod
    def of(cls, answers: Mapping[str, Any]) -> "Answers":
        """`answers` if already a version, else a frozen copy (without a parent)."""
        return answers if type(answers) is cls else cls(answers)

    def but(self, given: Mapping[str, Any] | None = None, dropped: Iterable[str] = ()) -> "Answers":
        """A new version with the `given` answers set and the `dropped` keys gone."""
        version = Answers(self, self)
        changed = set()
        if given:
            dict.update(version, given)
            changed.update(given)
        for key in dropped:
            if dict.pop(version, key, _GONE) is not _GONE:
                changed.add(key)
        version.changed = frozenset(changed)
        return version

    def origin(self) -> "Answers | None":
        """The version this one came from, while it is still alive."""
        return None if self.parent is None else self.parent()

    def _frozen(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise TypeError("answers are never changed in place: make a new version with but()")

    __setitem__ = __delitem__ = update = pop = popitem = clear = setdefault = __ior__ = _frozen  # type: ignore[assignment]

    def __reduce__(self) -> tuple[Any, ...]:
        return Answers, (dict(self),)


def differing(before: Mapping[str, Any], after: Mapping[str, Any]) -> set[str]:
    """The keys whose answer differs between two sets of answers (compared in C: no loop in Python)."""
    keys = after.keys()
    changed = set(compress(keys, map(ne, after.values(), map(before.get, keys, repeat(_GONE)))))
    return changed | (before.keys() - keys)
