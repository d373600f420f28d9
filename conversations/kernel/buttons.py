"""Button data: one table per flow, each format written once with the handler it reaches.

A format is the data string with named slots, for example `"sv:{survey}:{q}:ok"`:

    {name}          a whole number (an id, an index), given to the handler as an int
    {name:text}     any text without ":" (a barrio code), given as a str
    {name:a|b|c}    one of these words, given as a str

The first part (before the first ":") is a literal prefix, which is how the router finds
the table. The same table encodes: `BUTTONS.data(handler, survey=3, q=0)` writes the
data that will reach `handler(state, event, ctx, survey=3, q=0)`, so the format of a
button never lives in two places. Data that matches no format (an old or forged button)
reaches no handler: the router says it is stale.
"""

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from conversations.kernel.replies import MAX_BUTTON_DATA

ButtonHandler = Callable[..., Any]  # (state, event, ctx, **the fields of the data) -> Outcome

_SLOT = re.compile(r"\{(\w+)(?::([^}]+))?\}")
_INT = r"\d{1,9}"


@dataclass(frozen=True)
class Format:
    """One button format: its pattern, its parsed regex and the handler it reaches."""

    pattern: str
    handler: ButtonHandler
    regex: re.Pattern[str]
    ints: frozenset[str]

    @property
    def prefix(self) -> str:
        return self.pattern.partition(":")[0]

    def encode(self, fields: Mapping[str, object]) -> str:
        def fill(slot: re.Match[str]) -> str:
            if slot.group(1) not in fields:
                raise KeyError(f"button {self.pattern!r} needs {slot.group(1)!r}")
            return str(fields[slot.group(1)])

        data = _SLOT.sub(fill, self.pattern)
        if self.regex.fullmatch(data) is None or len(data.encode()) > MAX_BUTTON_DATA:
            raise ValueError(f"{fields!r} do not fit button {self.pattern!r}")
        return data

    def decode(self, data: str) -> dict[str, object] | None:
        found = self.regex.fullmatch(data)
        if found is None:
            return None
        return {name: int(value) if name in self.ints else value for name, value in found.groupdict().items()}


def _compile(pattern: str, handler: ButtonHandler) -> Format:
    if _SLOT.search(pattern.partition(":")[0]):
        raise ValueError(f"button format {pattern!r} must start with a literal prefix")
    parts, ints, at = [], set(), 0
    for slot in _SLOT.finditer(pattern):
        parts.append(re.escape(pattern[at:slot.start()]))
        name, kind = slot.group(1), slot.group(2)
        if kind is None:
            ints.add(name)
            parts.append(f"(?P<{name}>{_INT})")
        elif kind == "text":
            parts.append(f"(?P<{name}>[^:]{{1,40}})")
        else:
            parts.append(f"(?P<{name}>{'|'.join(re.escape(word) for word in kind.split('|'))})")
        at = slot.end()
    parts.append(re.escape(pattern[at:]))
    return Format(pattern, handler, re.compile("".join(parts)), frozenset(ints))


class Buttons:
    """A flow's button formats, in the order they are tried; `public` ones work before joining."""

    def __init__(self, table: Mapping[str, ButtonHandler] | None = None, *, public: bool = False) -> None:
        self.public = public
        self.formats = tuple(_compile(pattern, handler) for pattern, handler in (table or {}).items())
        self._by_handler = {f.handler: f for f in self.formats}
        if len(self._by_handler) != len(self.formats):
            raise ValueError("each handler reaches one button format")

    def __iter__(self) -> Iterator[Format]:
        return iter(self.formats)

    def data(self, handler: ButtonHandler, **fields: object) -> str:
        """The data of a button that reaches `handler` with `fields`."""
        return self._by_handler[handler].encode(fields)
