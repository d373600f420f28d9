"""A local fake Telegram Bot API server, for benchmarks and multi-process tests.

Answers every Bot API method like Telegram would (getMe, sendMessage, ...), records what
was sent per chat, and can enforce Telegram's limits (messages per second overall and
per chat) by answering 429 with `retry_after`. Listens on loopback only.

    python -m bench.fake_telegram --port 8081 [--rate 30]
"""

import argparse
import asyncio
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


@dataclass
class Recorder:
    rate: float | None = None  # messages per second overall; None = unlimited
    per_chat: float | None = None  # messages per second per chat
    sent: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    methods: Counter[str] = field(default_factory=Counter)
    rejected: int = 0
    _window: deque[float] = field(default_factory=deque)
    _last_per_chat: dict[str, float] = field(default_factory=dict)
    _message_id: int = 0

    def admit(self, chat_id: str) -> float:
        """0 when the message may go now, else the seconds Telegram would ask to wait."""
        now = time.monotonic()
        if self.rate is not None:
            while self._window and now - self._window[0] >= 1.0:
                self._window.popleft()
            if len(self._window) >= self.rate:
                return 1.0 - (now - self._window[0])
        if self.per_chat is not None:
            last = self._last_per_chat.get(chat_id)
            if last is not None and now - last < 1.0 / self.per_chat:
                return 1.0 / self.per_chat - (now - last)
        if self.rate is not None:
            self._window.append(now)
        self._last_per_chat[chat_id] = now
        return 0.0

    def answer(self, method: str, params: dict[str, Any]) -> JSONResponse:
        self.methods[method] += 1
        if method == "getMe":
            return _ok(BOT)
        if method in ("sendMessage", "editMessageText"):
            chat_id = str(params.get("chat_id"))
            wait = self.admit(chat_id) if method == "sendMessage" else 0.0
            if wait > 0:
                self.rejected += 1
                return JSONResponse({"ok": False, "error_code": 429,
                                     "description": "Too Many Requests: retry later",
                                     "parameters": {"retry_after": max(1, round(wait))}}, status_code=429)
            self.sent[chat_id].append(str(params.get("text", "")))
            self._message_id += 1
            return _ok({"message_id": self._message_id, "date": int(time.time()),
                        "chat": {"id": int(chat_id), "type": "private"}, "text": params.get("text", "")})
        return _ok(True)


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
        return JSONResponse({"methods": recorder.methods, "rejected": recorder.rejected,
                             "sent": {chat: len(texts) for chat, texts in recorder.sent.items()}})

    return Starlette(routes=[Route("/bot{token}/{method}", bot_method, methods=["POST", "GET"]),
                             Route("/stats", stats)])


class FakeTelegramServer:
    """The fake running in a background thread: `with FakeTelegramServer(port) as fake: ...`."""

    def __init__(self, port: int, recorder: Recorder | None = None) -> None:
        self.recorder = recorder or Recorder()
        self.url = f"http://127.0.0.1:{port}"
        config = uvicorn.Config(make_app(self.recorder), host="127.0.0.1", port=port, log_level="warning",
                                access_log=False)
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
    parser.add_argument("--rate", type=float, default=None, help="messages per second overall")
    parser.add_argument("--per-chat", type=float, default=None, help="messages per second per chat")
    args = parser.parse_args()
    recorder = Recorder(rate=args.rate, per_chat=args.per_chat)
    asyncio.run(uvicorn.Server(uvicorn.Config(make_app(recorder), host="127.0.0.1", port=args.port)).serve())


if __name__ == "__main__":
    main()
