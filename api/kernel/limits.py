"""Request bodies bounded before anything reads them, and the API's callers checked before their bodies.

A pure ASGI middleware (BaseHTTPMiddleware would buffer every response and cost CPU on
the chat's webhook). For each HTTP request it:

- refuses with 401, without reading a byte of the body, a request with a body to a
  protected route (`/api/...`) whose bearer token is neither the admin's nor an
  ejecutor's: nobody can make the server read megabytes without credentials;
- refuses with 413 a body whose Content-Length exceeds its limit (uploads: multipart;
  everything else: JSON), and stops reading one that grows past it while streaming;
- refuses with 422 a NUL character in the API's input (path, query or JSON body): a
  text column cannot hold one on PostgreSQL, and no form field needs one.

JSON bodies of the API are read here in full (they are small and capped) to look for
NUL; uploads and the Telegram webhook stream through untouched but counted.
"""

import hmac
import json
import re
from collections.abc import Callable
from typing import Any

from anyio import to_thread
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

Authenticate = Callable[[str], bool]  # True when the token is an ejecutor's (may query the database)

PROTECTED = "/api/"
# "\u0000" in JSON text, not preceded by an escaping backslash (an odd count of them is an escape).
_JSON_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000", re.IGNORECASE)


class BodyTooLarge(HTTPException):
    """Raised from `receive` once a streamed body passes its limit; the error handlers make it a 413."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"request body larger than {limit} bytes")


class RequestLimits:
    def __init__(self, app: ASGIApp, *, max_json_bytes: int, max_upload_bytes: int,
                 admin_token: str | None = None, authenticate: Authenticate | None = None) -> None:
        self.app = app
        self.max_json = max_json_bytes
        self.max_upload = max_upload_bytes
        self.admin_token = admin_token
        self.authenticate = authenticate

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = _headers(scope)
        api = scope["path"].startswith(PROTECTED)
        if api and (b"%00" in scope.get("raw_path", b"").lower() or b"%00" in scope["query_string"].lower()
                    or "\x00" in scope["path"]):
            await _answer(send, 422, "invalid request: NUL characters are not accepted")
            return
        length = _content_length(headers)
        has_body = (length or 0) > 0 or b"chunked" in headers.get(b"transfer-encoding", b"").lower()
        if length is None and b"content-length" in headers:
            await _answer(send, 400, "invalid Content-Length header")
            return
        if api and has_body and self.authenticate is not None and not await self._allowed(headers):
            await _answer(send, 401, "missing or invalid bearer token", {"WWW-Authenticate": "Bearer"})
            return
        upload = headers.get(b"content-type", b"").lower().startswith(b"multipart/form-data")
        limit = self.max_upload if upload else self.max_json
        if length is not None and length > limit:
            await _answer(send, 413, f"request body larger than {limit} bytes")
            return
        if not has_body:
            await self.app(scope, receive, send)
            return
        if api and not upload:
            await self._checked_json(scope, receive, send, limit)
            return
        await self._streamed(scope, receive, send, limit)

    async def _allowed(self, headers: dict[bytes, bytes]) -> bool:
        scheme, _, token = headers.get(b"authorization", b"").partition(b" ")
        if scheme.lower() != b"bearer" or not token.strip() or not token.isascii():
            return False
        credentials = token.strip().decode("ascii")
        if self.admin_token and hmac.compare_digest(credentials.encode(), self.admin_token.encode()):
            return True
        assert self.authenticate is not None
        return await to_thread.run_sync(self.authenticate, credentials)

    async def _checked_json(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        """Read the whole (capped) body, refuse a NUL in it, then hand it to the app in one piece."""
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                await _answer(send, 413, f"request body larger than {limit} bytes")
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        form = _headers(scope).get(b"content-type", b"").lower().startswith(b"application/x-www-form-urlencoded")
        if b"\x00" in body or _JSON_NUL.search(body) or (form and b"%00" in body.lower()):
            await _answer(send, 422, "invalid request: NUL characters are not accepted")
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _streamed(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        """Pass the body through, counting; past the limit reading stops with a 413."""
        size = 0
        started = False

        async def counted() -> Message:
            nonlocal size
            message = await receive()
            if message["type"] == "http.request":
                size += len(message.get("body", b""))
                if size > limit:
                    raise BodyTooLarge(limit)
            return message

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, watched)
        except BodyTooLarge as error:  # raised where no handler turned it into an answer
            if started:
                raise
            await _answer(send, 413, str(error.detail))


def _headers(scope: Scope) -> dict[bytes, bytes]:
    return {name.lower(): value for name, value in scope["headers"]}


def _content_length(headers: dict[bytes, bytes]) -> int | None:
    value = headers.get(b"content-length")
    if value is None:
        return None
    try:
        length = int(value)
    except ValueError:
        return None
    return length if length >= 0 else None


async def _answer(send: Send, status: int, detail: str, headers: dict[str, str] | None = None) -> None:
    """A JSON error in the shape of api/kernel/errors.py; the connection is closed after it (the
    unread body cannot be skipped)."""
    body: dict[str, Any] = {"detail": detail}
    if status == 422:
        body["errors"] = [{"field": "body", "message": detail}]
    content = json.dumps(body).encode()
    raw = [(b"content-type", b"application/json"), (b"content-length", str(len(content)).encode()),
           (b"connection", b"close")]
    raw += [(name.lower().encode(), value.encode()) for name, value in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": content})

