"""Every list route pages the same way: `?limit=` (1..MAX_LIMIT, default DEFAULT_LIMIT) and `?cursor=`.

The body stays a JSON array of the page's items. When more follow, the answer carries the
cursor of the next page in `X-Next-Cursor` and as a `Link: <...>; rel="next"` header; pass it
back unchanged (it is opaque). The last page has neither header.
"""

import base64
import binascii
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Query, Request, Response
from sqlmodel import Session
from sqlmodel.sql.expression import SelectOfScalar

from api.kernel.errors import Invalid

DEFAULT_LIMIT, MAX_LIMIT = 100, 500
MAX_OFFSET = 10_000_000
NEXT_HEADER = "X-Next-Cursor"

T = TypeVar("T")

PAGED: dict[int | str, dict[str, Any]] = {200: {
    "description": "One page of the list, as a JSON array.",
    "headers": {
        NEXT_HEADER: {"description": "The cursor of the next page; absent on the last page.",
                      "schema": {"type": "string"}},
        "Link": {"description": 'The next page\'s URL with rel="next"; absent on the last page.',
                 "schema": {"type": "string"}},
    },
}}


def _encode(offset: int) -> str:
    return base64.urlsafe_b64encode(f"o{offset}".encode()).decode().rstrip("=")


def _decode(cursor: str) -> int:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        offset = int(raw[1:]) if raw.startswith("o") else -1
    except (binascii.Error, UnicodeDecodeError, ValueError):
        offset = -1
    if not 0 < offset <= MAX_OFFSET:
        raise Invalid("cursor: not a cursor this API gave; pass the X-Next-Cursor of the previous page unchanged")
    return offset


@dataclass(frozen=True)
class Paging:
    limit: int
    offset: int
    request: Request
    response: Response

    def page(self, items: Sequence[T]) -> list[T]:
        """This page of `items` (the whole list, already ordered), with the next page's headers."""
        return self._mark(list(items[self.offset:self.offset + self.limit + 1]))

    def rows(self, session: Session, statement: SelectOfScalar[T]) -> list[T]:
        """This page of an ordered SELECT's rows (one more is read to know whether another page follows)."""
        return self._mark(list(session.exec(statement.offset(self.offset).limit(self.limit + 1)).all()))

    def _mark(self, found: list[T]) -> list[T]:
        if len(found) > self.limit:
            cursor = _encode(self.offset + self.limit)
            self.response.headers[NEXT_HEADER] = cursor
            url = self.request.url.include_query_params(cursor=cursor, limit=self.limit)
            self.response.headers["Link"] = f'<{url}>; rel="next"'
        return found[:self.limit]


def paging(request: Request, response: Response,
           limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"items per page, at most {MAX_LIMIT}")]
           = DEFAULT_LIMIT,
           cursor: Annotated[str | None, Query(max_length=40, description="X-Next-Cursor of the previous page")]
           = None) -> Paging:
    return Paging(limit=limit, offset=0 if cursor is None else _decode(cursor), request=request, response=response)


PagingDep = Annotated[Paging, Depends(paging)]
