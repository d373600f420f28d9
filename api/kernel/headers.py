"""Security headers on every response, as a pure ASGI middleware (no buffering but of HTML pages).

- `X-Content-Type-Options: nosniff` and `Referrer-Policy: no-referrer` everywhere.
- `Cache-Control: no-store` on the API and the webhook: every answer there is private to its
  caller (tokens, exports of personal data), and no proxy or browser should keep it.
- A Content-Security-Policy: `default-src 'none'` for data; for an HTML page (the API's
  documentation), scripts only from the page's own inline blocks, allowed by their SHA-256
  (computed here, so a changed page never needs a changed policy), and from this server
  (Swagger UI's files, api/kernel/docs.py): nothing is loaded from anywhere else. Forms post only to us; a
  page that sets its own policy (the staff console) keeps it.

An unhandled error's 500 is answered by Starlette outside every middleware, so its handler
(api/kernel/errors.py) sets the same headers from `headers_for`.
"""

import base64
import hashlib
import re

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

PRIVATE = ("/api/", "/telegram/")
DATA_POLICY = "default-src 'none'; frame-ancestors 'none'"
_INLINE_SCRIPT = re.compile(rb"<script>(.*?)</script>", re.DOTALL)


def headers_for(path: str) -> dict[str, str]:
    """What every answer on `path` carries (an HTML page's policy is set once its body is known)."""
    headers = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}
    if path.startswith(PRIVATE):
        headers["Cache-Control"] = "no-store"
    return headers


def page_policy(html: bytes) -> str:
    """A strict policy for one HTML page: its own inline scripts by hash, this server's files, nothing else.

    Styles may be inline too: Swagger UI writes style attributes (styles run no code)."""
    hashes = " ".join(f"'sha256-{base64.b64encode(hashlib.sha256(code).digest()).decode()}'"
                      for code in _INLINE_SCRIPT.findall(html))
    return (f"default-src 'none'; script-src 'self' {hashes}; style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        fixed = headers_for(scope["path"])
        held: Message | None = None  # an HTML page's start, until its body is known
        body: list[bytes] = []

        async def with_headers(message: Message) -> None:
            nonlocal held
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.update(fixed)
                if headers.get("content-type", "").startswith("text/html"):
                    held = message
                    return
                headers.setdefault("Content-Security-Policy", DATA_POLICY)
            elif held is not None and message["type"] == "http.response.body":
                body.append(message.get("body", b""))
                if message.get("more_body", False):
                    return
                page = b"".join(body)
                MutableHeaders(scope=held).setdefault("Content-Security-Policy", page_policy(page))
                await send(held)
                message = {"type": "http.response.body", "body": page}
            await send(message)

        await self.app(scope, receive, with_headers)
