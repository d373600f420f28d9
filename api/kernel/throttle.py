"""Failed authentication slowed down per client address: guessing tokens or the webhook's secret
gets a 429 with Retry-After after a few misses.

A pure ASGI middleware, outside the request limits (so their early 401s count too) and inside
the security headers. It watches the answers to `/api/...` and `/telegram/...`: a 401 (a bad
bearer token, ejecutor's or admin's) or the webhook's 403 (a wrong secret) is a failure of the
client's address. After `failures` of them within `window` seconds the address gets 429 on those
paths for `block` seconds; then it starts afresh.

The counts live in this process's memory: several processes each count on their own (an
address gets at most `failures` tries per process per window) and a restart forgets them.
Behind a reverse proxy the client's address is the proxy's unless the server is told to trust
its X-Forwarded-For (uvicorn's `--proxy-headers --forwarded-allow-ips`; see the README).
"""

import json
import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from starlette.types import ASGIApp, Message, Receive, Scope, Send

WATCHED = ("/api/", "/telegram/")
MAX_ADDRESSES = 100_000  # beyond this, the quietest addresses are forgotten (memory stays bounded)


@dataclass
class _Address:
    failures: deque[float] = field(default_factory=deque)
    blocked_until: float = 0.0


class AuthThrottle:
    """Per-address failure counts; `clock` is replaceable so tests need not wait."""

    def __init__(self, *, failures: int, window: float, block: float,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.failures = failures
        self.window = window
        self.block = block
        self.clock = clock
        self._addresses: dict[str, _Address] = {}

    def retry_after(self, address: str) -> int | None:
        """Seconds until `address` may try again, or None when it may now."""
        entry = self._addresses.get(address)
        if entry is None:
            return None
        left = entry.blocked_until - self.clock()
        if left > 0:
            return max(1, math.ceil(left))
        if entry.blocked_until:  # the block is over: a fresh start
            del self._addresses[address]
        return None

    def failed(self, address: str) -> None:
        now = self.clock()
        entry = self._addresses.pop(address, None) or _Address()
        self._addresses[address] = entry  # most recently failed last, for the pruning below
        entry.failures.append(now)
        while entry.failures and entry.failures[0] <= now - self.window:
            entry.failures.popleft()
        if len(entry.failures) >= self.failures:
            entry.blocked_until = now + self.block
            entry.failures.clear()
        if len(self._addresses) > MAX_ADDRESSES:
            del self._addresses[next(iter(self._addresses))]


def _is_failure(path: str, status: int) -> bool:
    return status == 401 or (status == 403 and path.startswith("/telegram/"))


class ThrottleFailedAuth:
    def __init__(self, app: ASGIApp, *, throttle: AuthThrottle) -> None:
        self.app = app
        self.throttle = throttle

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or not path.startswith(WATCHED):
            await self.app(scope, receive, send)
            return
        address = (scope.get("client") or ("unknown", 0))[0]
        wait = self.throttle.retry_after(address)
        if wait is not None:
            await _too_many(send, wait)
            return

        async def watched(message: Message) -> None:
            if message["type"] == "http.response.start" and _is_failure(path, message["status"]):
                self.throttle.failed(address)
            await send(message)

        await self.app(scope, receive, watched)


async def _too_many(send: Send, wait: int) -> None:
    content = json.dumps({"detail": f"too many failed authentications from this address; "
                                    f"try again in {wait} seconds"}).encode()
    await send({"type": "http.response.start", "status": 429, "headers": [
        (b"content-type", b"application/json"), (b"content-length", str(len(content)).encode()),
        (b"retry-after", str(wait).encode()),
    ]})
    await send({"type": "http.response.body", "body": content})
