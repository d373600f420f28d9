"""A local fake Telegram Bot API server, for benchmarks and multi-process tests.

Answers every Bot API method like Telegram would (getMe, sendMessage, ...), records what
was sent per chat, and can enforce Telegram's limits — more than `--rate` messages in any
one-second window, or a chat getting more than about one per second (bursts of 3 allowed)
— by answering 429 with `retry_after`. GET /stats tells what was delivered per chat, the
429s given, and the first and last delivery times. Listens on loopback only.

    python -m bench.fake_telegram --port 8081 [--rate 30]
"""

import argparse
import json
import threading
import time
from collections import Counter, defaultdict, deque
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

BOT = {"id": 1, "is_bot": True, "first_name": "Acción Local", "username": "FakeAccionBot",
       "can_join_groups": False, "can_read_all_group_messages": False, "supports_inline_queries": False}


CHAT_BURST = 3  # a chat may get this many messages within as many seconds, as Telegram allows
# How long an idle connection is kept open. uvicorn's default, 5 s, is exactly how long httpx's pool
# reuses an idle connection (and aiohttp's is 15 s): a client reusing one at that moment sent its
# request as the server closed it, and got a reset (httpx.ReadError). Telegram keeps idle
# connections for longer than clients do; so does the fake.
KEEP_ALIVE_SECONDS = 120


@dataclass
class Recorder:
    """What was delivered, and Telegram's limits when `rate` is set."""

    rate: float | None = None  # messages per second overall; None = unlimited
    per_chat_limit: bool = False  # about one message per second per chat (bursts of CHAT_BURST)
    retry_after: int = 1
    sent: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    methods: Counter[str] = field(default_factory=Counter)
    too_many: Counter[str] = field(default_factory=Counter)
    first: float | None = None
    last: float | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)
    _window: deque[float] = field(default_factory=deque)
    _per_chat: dict[str, deque[float]] = field(default_factory=lambda: defaultdict(deque))
    _message_id: int = 1000

    def _admit(self, chat_id: str, now: float) -> bool:
        while self._window and self._window[0] <= now - 1.0:
            self._window.popleft()
        chat = self._per_chat[chat_id]
        while chat and chat[0] <= now - CHAT_BURST:
            chat.popleft()
        if self.rate is not None and len(self._window) >= self.rate:
            self.too_many["bot"] += 1
            return False
        if self.per_chat_limit and len(chat) >= CHAT_BURST:
            self.too_many["chat"] += 1
            return False
        self._window.append(now)
        chat.append(now)
        return True

    def answer(self, method: str, params: dict[str, Any]) -> JSONResponse:
        with self.lock:
            self.methods[method] += 1
            if method == "getMe":
                return _ok(BOT)
            if method not in ("sendMessage", "editMessageText"):
                return _ok(True)
            chat_id = str(params.get("chat_id"))
            if method == "sendMessage" and not self._admit(chat_id, time.monotonic()):
                return JSONResponse({"ok": False, "error_code": 429,
                                     "description": f"Too Many Requests: retry after {self.retry_after}",
                                     "parameters": {"retry_after": self.retry_after}}, status_code=429)
            self.sent[chat_id].append(str(params.get("text", "")))
            self.first = self.first or time.time()
            self.last = time.time()
            self._message_id += 1
            return _ok({"message_id": self._message_id, "date": int(time.time()),
                        "chat": {"id": int(chat_id), "type": "private"}, "text": params.get("text", "")})

    def stats(self) -> dict[str, Any]:
        with self.lock:
            return {"delivered": {chat: len(texts) for chat, texts in self.sent.items()},
                    "too_many": dict(self.too_many), "methods": dict(self.methods),
                    "first": self.first, "last": self.last}


def _ok(result: Any) -> JSONResponse:
    return JSONResponse({"ok": True, "result": result})


def make_app(recorder: Recorder) -> Starlette:
    async def bot_method(request: Request) -> JSONResponse:
        body = await request.body()
        if request.headers.get("content-type", "").startswith("application/json"):
            params = json.loads(body or b"{}")
        else:
            params = {k: v[0] for k, v in parse_qs(body.decode()).items()}
        return recorder.answer(request.path_params["method"], params)

    async def stats(_request: Request) -> JSONResponse:
        return JSONResponse(recorder.stats())

    return Starlette(routes=[Route("/bot{token}/{method}", bot_method, methods=["POST", "GET"]),
                             Route("/stats", stats)])


class FakeTelegramServer:
    """The fake running in a background thread: `with FakeTelegramServer(port) as fake: ...`."""

    def __init__(self, port: int, recorder: Recorder | None = None) -> None:
        self.recorder = recorder or Recorder()
        self.url = f"http://127.0.0.1:{port}"
        config = uvicorn.Config(make_app(self.recorder), host="127.0.0.1", port=port, log_level="warning",
                                access_log=False, timeout_keep_alive=KEEP_ALIVE_SECONDS)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> "FakeTelegramServer":
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("fake Bot API did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *_exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--rate", type=float, default=None,
                        help="enforce this many messages per second overall, and about 1/s per chat")
    args = parser.parse_args()
    recorder = Recorder(rate=args.rate, per_chat_limit=args.rate is not None)
    uvicorn.run(make_app(recorder), host="127.0.0.1", port=args.port, log_level="warning", access_log=False,
                timeout_keep_alive=KEEP_ALIVE_SECONDS)


if __name__ == "__main__":
    main()
