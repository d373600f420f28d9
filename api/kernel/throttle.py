"""Failed authentication slowed down per client address: guessing tokens or the webhook's secret
gets a 429 with Retry-After after a few misses.

A pure ASGI middleware, outside the request limits (so their early 401s count too) and inside
the security headers. It watches the answers to `/api/...` and `/telegram/...`: a 401 (a bad
bearer token, ejecutor's or admin's) or the webhook's 403 (a wrong secret) is a failure of the
client's address. After `failures` of them within `window` seconds the address gets 429 on those
paths for `block` seconds; then it starts afresh.

The counts are shared by every process on the database (api/kernel/shared_limits.py): an
address gets `failures` tries per window in all. A process asks the database whether an
address is blocked at most once per `recheck` seconds (the webhook's few addresses cost a
statement a second, not one per update); a failure is counted at once, and the process that
counts the one over the limit blocks the address everywhere.
Behind a reverse proxy the client's address is the proxy's unless the server is told to trust
its X-Forwarded-For (uvicorn's `--proxy-headers --forwarded-allow-ips`; see the README).
"""

import json
import math
import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.kernel import shared_limits
from api.kernel.types import utcnow

WATCHED = ("/api/", "/telegram/")
MAX_ADDRESSES = 100_000  # beyond this, the addresses checked longest ago are forgotten (memory stays bounded)


class AuthThrottle:
    """Per-address failure counts in the database; `clock` is replaceable so tests need not wait."""

    def __init__(self, engine: Engine, *, failures: int, window: float, block: float, recheck: float = 1.0,
                 clock: Callable[[], datetime] = utcnow) -> None:
        self.engine = engine
        self.failures = failures
        self.window, self.block, self.recheck = (timedelta(seconds=s) for s in (window, block, recheck))
        self.clock = clock
        self._known: OrderedDict[str, tuple[datetime, datetime | None]] = OrderedDict()  # checked at, blocked until
        self._lock = threading.Lock()

    def fresh(self, address: str) -> bool:
        """Whether this process knows the address's block as of less than `recheck` ago."""
        with self._lock:
            known = self._known.get(address)
        return known is not None and self.clock() - known[0] < self.recheck

    def retry_after(self, address: str) -> int | None:
        """Seconds until `address` may try again, or None when it may now (may ask the database)."""
        now = self.clock()
        with self._lock:
            known = self._known.get(address)
        if known is None or now - known[0] >= self.recheck:
            with self.engine.connect() as connection:
                known = (now, shared_limits.blocked_until(connection, _key(address)))
            self._remember(address, known)
        left = (known[1] - now).total_seconds() if known[1] is not None else 0
        return max(1, math.ceil(left)) if left > 0 else None

    def failed(self, address: str) -> None:
        now = self.clock()
        with self.engine.begin() as connection:
            hits = shared_limits.hit(connection, _key(address), now, self.window)
            until = None
            if hits.count >= self.failures:
                until = now + self.block
                shared_limits.block(connection, _key(address), until, now)
        if until is not None:
            self._remember(address, (now, until))

    def _remember(self, address: str, known: tuple[datetime, datetime | None]) -> None:
        with self._lock:
            self._known[address] = known
            self._known.move_to_end(address)
            if len(self._known) > MAX_ADDRESSES:
                self._known.popitem(last=False)


def _key(address: str) -> str:
    return f"auth:{address}"[:200]


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
        throttle = self.throttle
        wait = throttle.retry_after(address) if throttle.fresh(address) else await run_in_threadpool(
            throttle.retry_after, address)
        if wait is not None:
            await _too_many(send, wait)
            return

        async def watched(message: Message) -> None:
            if message["type"] == "http.response.start" and _is_failure(path, message["status"]):
                await run_in_threadpool(self.throttle.failed, address)
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
