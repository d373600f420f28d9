"""How python-telegram-bot reaches the Bot API: its httpx client over aiohttp's connections.

PTB talks to Telegram through an `httpx.AsyncClient`. httpx's own connection pool
(httpcore on anyio) costs about 1 ms of CPU per request once dozens of requests are in
flight — measured in bench/load.py it was a third of the server's CPU, and most of the
echo bot's. The `httpx-aiohttp` transport keeps PTB and httpx unchanged above it (same
requests, same errors, same respx seam in the tests) and sends over aiohttp's pool,
which costs about a third of that.
"""

import httpx
from aiohttp import ClientSession
from httpx_aiohttp import AiohttpTransport
from telegram.request import HTTPXRequest


class _ReopeningTransport(AiohttpTransport):
    """An aiohttp transport that opens a new session after `aclose`.

    PTB may shut a request object down and initialize it again (Application.shutdown,
    then initialize); the library's transport would keep using its closed session.
    """

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if isinstance(self.client, ClientSession) and self.client.closed:
            self.client = None
        return await super().handle_async_request(request)


def telegram_request(*, connections: int, pool_timeout: float = 1.0,
                     read_timeout: float = 5.0) -> HTTPXRequest:
    """A PTB request object with at most `connections` open to the Bot API."""
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    return HTTPXRequest(
        connection_pool_size=connections, pool_timeout=pool_timeout, read_timeout=read_timeout,
        httpx_kwargs={"transport": _ReopeningTransport(limits=limits)},
    )
