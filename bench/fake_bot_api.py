"""A local fake Telegram Bot API that enforces Telegram's sending limits, for benchmarks.

    python -m bench.fake_bot_api --port 8081 [--rate 30]

Answers getMe, sendMessage, editMessageText, answerCallbackQuery, setMyCommands. More
than `rate` messages in any one-second window, or a chat getting more than one message
per second on average (short bursts of up to 3 are allowed, as Telegram does), gets a
429 with `retry_after`. GET /stats returns what was delivered
per chat, how many 429s were given, and the first and last delivery times.
"""

import argparse
import collections
import json
import threading
import time
from urllib.parse import parse_qs

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

CHAT_BURST = 3  # messages a chat may get within CHAT_BURST seconds


class Limits:
    def __init__(self, rate: float, retry_after: int) -> None:
        self.rate = rate
        self.retry_after = retry_after
        self.lock = threading.Lock()
        self.window: collections.deque[float] = collections.deque()
        self.per_chat: dict[str, collections.deque[float]] = collections.defaultdict(collections.deque)
        self.delivered: collections.Counter[str] = collections.Counter()
        self.too_many = collections.Counter[str]()
        self.first: float | None = None
        self.last: float | None = None
        self.message_ids = 1000

    def admit(self, chat_id: str) -> int | None:
        """None when the message may go; otherwise the seconds to wait."""
        now = time.monotonic()
        with self.lock:
            while self.window and self.window[0] <= now - 1.0:
                self.window.popleft()
            chat = self.per_chat[chat_id]
            while chat and chat[0] <= now - CHAT_BURST:
                chat.popleft()
            if len(self.window) >= self.rate:
                self.too_many["bot"] += 1
                return self.retry_after
            if len(chat) >= CHAT_BURST:
                self.too_many["chat"] += 1
                return self.retry_after
            self.window.append(now)
            chat.append(now)
            self.delivered[chat_id] += 1
            self.first = self.first or time.time()
            self.last = time.time()
            self.message_ids += 1
            return None


def create_app(rate: float = 30.0, retry_after: int = 1) -> Starlette:
    limits = Limits(rate, retry_after)

    async def method(request: Request) -> JSONResponse:
        name = request.path_params["method"]
        body = (await request.body()).decode()
        if request.headers.get("content-type", "").startswith("application/json"):
            params = json.loads(body or "{}")
        else:
            params = {k: v[0] for k, v in parse_qs(body).items()}
        if name == "getMe":
            return _ok({"id": 42, "is_bot": True, "first_name": "Bench", "username": "BenchBot"})
        if name in ("sendMessage", "editMessageText"):
            chat_id = str(params.get("chat_id"))
            wait = limits.admit(chat_id)
            if wait is not None:
                return JSONResponse({"ok": False, "error_code": 429,
                                     "description": f"Too Many Requests: retry after {wait}",
                                     "parameters": {"retry_after": wait}}, status_code=429)
            return _ok({"message_id": limits.message_ids, "date": int(time.time()), "text": params.get("text", ""),
                        "chat": {"id": int(chat_id), "type": "private"}})
        return _ok(True)

    async def stats(_request: Request) -> JSONResponse:
        with limits.lock:
            return JSONResponse({"delivered": dict(limits.delivered), "too_many": dict(limits.too_many),
                                 "first": limits.first, "last": limits.last})

    return Starlette(routes=[
        Route("/stats", stats, methods=["GET"]),
        Route("/bot{token}/{method}", method, methods=["GET", "POST"]),
    ])


def _ok(result: object) -> JSONResponse:
    return JSONResponse({"ok": True, "result": result})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--rate", type=float, default=30.0)
    args = parser.parse_args()
    uvicorn.run(create_app(args.rate), host="127.0.0.1", port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
