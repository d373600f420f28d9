"""A fake Telegram Bot API at the HTTP seam (respx), and builders for incoming updates.

PTB posts form-encoded bodies; `reply_markup` arrives as a JSON string. The fake answers
like Telegram does and records every call, so tests assert on what a vecino would see.
"""

import itertools
import json
import time
from dataclasses import dataclass, field
from email import policy
from email.parser import BytesParser
from typing import Any
from urllib.parse import parse_qs

import httpx
import respx
from telegram import Update
from telegram.ext import Application

BASE_URL = "https://bot-api.test"
TOKEN = "123456:TEST-TOKEN"
BOT_USERNAME = "TestAccionBot"


@dataclass
class Sent:
    method: str
    params: dict[str, Any]

    @property
    def chat_id(self) -> int:
        return int(self.params["chat_id"])

    @property
    def text(self) -> str:
        return str(self.params.get("text", ""))

    @property
    def buttons(self) -> list[list[tuple[str, str]]]:
        markup = self.params.get("reply_markup")
        if not markup:
            return []
        return [[(b["text"], b["callback_data"]) for b in row] for row in markup["inline_keyboard"]]

    @property
    def button_data(self) -> list[str]:
        return [data for row in self.buttons for _, data in row]


@dataclass
class FakeBotApi:
    calls: list[Sent] = field(default_factory=list)
    photos: dict[str, bytes] = field(default_factory=dict)  # file_id -> the bytes Telegram keeps
    unavailable: int = 0  # the next getFile calls that answer 502 (Telegram's own trouble)
    _message_ids: itertools.count = field(default_factory=lambda: itertools.count(1000))

    def install(self, router: respx.Router) -> None:
        router.route(host="bot-api.test").mock(side_effect=self._answer)
        router.route(host="testserver").pass_through()  # the API called in-process beside the bot

    def _answer(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.startswith("/file/"):  # a download: /file/bot<token>/photos/<file_id>.jpg
            file_id = request.url.path.rsplit("/", 1)[-1].removesuffix(".jpg")
            return httpx.Response(200, content=self.photos[file_id]) if file_id in self.photos else \
                httpx.Response(404)
        method = request.url.path.rsplit("/", 1)[-1]
        params = _params(request)
        self.calls.append(Sent(method, params))
        if method == "getFile" and self.unavailable > 0:
            self.unavailable -= 1
            return httpx.Response(502, text="Bad Gateway")
        if method == "getFile" and params.get("file_id") not in self.photos:
            return httpx.Response(400, json={"ok": False, "error_code": 400,
                                             "description": "Bad Request: invalid file_id"})
        return httpx.Response(200, json={"ok": True, "result": self._result(method, params)})

    def _result(self, method: str, params: dict[str, Any]) -> Any:
        if method == "getMe":
            return {"id": 123456, "is_bot": True, "first_name": "Acción Local", "username": BOT_USERNAME,
                    "can_join_groups": False, "can_read_all_group_messages": False,
                    "supports_inline_queries": False}
        if method == "sendDocument":
            return {"message_id": next(self._message_ids), "date": int(time.time()),
                    "chat": {"id": int(params["chat_id"]), "type": "private"},
                    "document": {"file_id": "d1", "file_unique_id": "d1", "file_name": params["document"][0]}}
        if method == "getFile":
            file_id = params["file_id"]
            return {"file_id": file_id, "file_unique_id": f"u-{file_id}", "file_size": len(self.photos[file_id]),
                    "file_path": f"photos/{file_id}.jpg"}
        if method in ("sendMessage", "editMessageText"):
            message_id = int(params.get("message_id") or next(self._message_ids))
            return {"message_id": message_id, "date": int(time.time()), "text": params.get("text", ""),
                    "chat": {"id": int(params["chat_id"]), "type": "private"}}
        return True

    def executes(self, webhook_response: httpx.Response) -> None:
        """What Telegram does with a webhook response that carries a method: run it."""
        if webhook_response.status_code == 200 and webhook_response.content:
            call = dict(webhook_response.json())
            self.calls.append(Sent(call.pop("method"), call))

    def messages(self, chat_id: int | None = None) -> list[Sent]:
        """What was shown in chats: sent and edited messages, in order."""
        return [c for c in self.calls if c.method in ("sendMessage", "editMessageText")
                and (chat_id is None or c.chat_id == chat_id)]

    def documents(self, chat_id: int) -> dict[str, bytes]:
        """Files sent to the chat (sendDocument): file name -> content."""
        return dict(c.params["document"] for c in self.calls if c.method == "sendDocument" and c.chat_id == chat_id)

    def texts(self, chat_id: int | None = None) -> list[str]:
        return [m.text for m in self.messages(chat_id)]

    def last(self, chat_id: int) -> Sent:
        return self.messages(chat_id)[-1]

    def clear(self) -> None:
        self.calls.clear()


def _multipart(request: httpx.Request) -> dict[str, Any]:
    """A multipart upload's fields; a file field as (file name, content)."""
    head = f"Content-Type: {request.headers['content-type']}\r\n\r\n".encode()
    params: dict[str, Any] = {}
    for part in BytesParser(policy=policy.HTTP).parsebytes(head + request.content).iter_parts():
        name = part.get_param("name", header="content-disposition")
        content = part.get_payload(decode=True)
        filename = part.get_filename()
        params[str(name)] = (filename, content) if filename else content.decode()
    return params


def _params(request: httpx.Request) -> dict[str, Any]:
    if request.headers.get("content-type", "").startswith("multipart/form-data"):
        params = _multipart(request)
        if isinstance(params.get("reply_markup"), str):
            params["reply_markup"] = json.loads(params["reply_markup"])
        return params
    body = request.content.decode()
    if request.headers.get("content-type", "").startswith("application/json"):
        params: dict[str, Any] = json.loads(body or "{}")
    else:
        params = {k: v[0] for k, v in parse_qs(body).items()}
    for key in ("reply_markup",):
        if isinstance(params.get(key), str):
            params[key] = json.loads(params[key])
    return params


class Updates:
    """Builds Telegram updates with increasing update ids, as Telegram would send them."""

    def __init__(self, application: Application) -> None:  # type: ignore[type-arg]
        self.application = application
        self.ids = itertools.count(1)

    def _user(self, user_id: int, lang: str) -> dict[str, Any]:
        return {"id": user_id, "is_bot": False, "first_name": f"Vecina{user_id}", "language_code": lang}

    def message(self, user_id: int, text: str | None = None, *, lang: str = "es",
                update_id: int | None = None, **extra: Any) -> Update:
        message: dict[str, Any] = {"message_id": next(self.ids) + 10_000, "date": int(time.time()),
                                   "chat": {"id": user_id, "type": "private"},
                                   "from": self._user(user_id, lang), **extra}
        if text is not None:
            message["text"] = text
            if text.startswith("/"):
                length = len(text.split(" ", 1)[0])
                message["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        return self._update(update_id, {"message": message})

    def sticker(self, user_id: int, **kw: Any) -> Update:
        sticker = {"file_id": "s1", "file_unique_id": "u1", "width": 512, "height": 512,
                   "is_animated": False, "is_video": False, "type": "regular"}
        return self.message(user_id, None, sticker=sticker, **kw)

    def location(self, user_id: int, latitude: float, longitude: float, accuracy: float | None = None,
                 **kw: Any) -> Update:
        """A location shared with 📎 «Ubicación»."""
        place: dict[str, Any] = {"latitude": latitude, "longitude": longitude}
        if accuracy is not None:
            place["horizontal_accuracy"] = accuracy
        return self.message(user_id, None, location=place, **kw)

    def photo(self, user_id: int, file_id: str, file_size: int, *, smaller: tuple[tuple[str, int], ...] | None = None,
              **kw: Any) -> Update:
        """A photo, as Telegram sends it: several sizes (`smaller`: file_id and weight of each, by default a
        thumbnail), the largest last."""
        lesser = [(f"{file_id}-small", 1200)] if smaller is None else list(smaller)
        sizes = [{"file_id": small_id, "file_unique_id": f"p{n}", "width": 90 * n, "height": 67 * n, "file_size": size}
                 for n, (small_id, size) in enumerate(lesser, start=1)]
        sizes.append({"file_id": file_id, "file_unique_id": "p0", "width": 1280, "height": 960, "file_size": file_size})
        return self.message(user_id, None, photo=sizes, **kw)

    def press(self, user_id: int, data: str, *, message_id: int = 1000, lang: str = "es",
              update_id: int | None = None) -> Update:
        query = {"id": str(next(self.ids)), "from": self._user(user_id, lang), "chat_instance": "ci",
                 "data": data, "message": {"message_id": message_id, "date": int(time.time()),
                                           "chat": {"id": user_id, "type": "private"}, "text": "…"}}
        return self._update(update_id, {"callback_query": query})

    def _update(self, update_id: int | None, body: dict[str, Any]) -> Update:
        return Update.de_json({"update_id": update_id or next(self.ids), **body}, self.application.bot)


class Harness:
    """The real Application, fed updates through `process_update`, talking to the fake."""

    def __init__(self, application: Application, fake: FakeBotApi) -> None:  # type: ignore[type-arg]
        self.application = application
        self.fake = fake
        self.updates = Updates(application)

    async def feed(self, update: Update) -> None:
        await self.application.process_update(update)

    async def say(self, user_id: int, text: str, **kw: Any) -> list[Sent]:
        """The vecino types `text`; returns what the bot showed in reply."""
        before = len(self.fake.messages(user_id))
        await self.feed(self.updates.message(user_id, text, **kw))
        return self.fake.messages(user_id)[before:]

    async def press(self, user_id: int, data: str, **kw: Any) -> list[Sent]:
        """The vecino presses the button with `data`; returns what the bot showed in reply."""
        return await self.sends(user_id, self.updates.press(user_id, data, **kw))

    async def sends(self, user_id: int, update: Update) -> list[Sent]:
        """The vecino sends `update` (a location, a photo...); returns what the bot showed in reply."""
        before = len(self.fake.messages(user_id))
        await self.feed(update)
        return self.fake.messages(user_id)[before:]

    async def join(self, user_id: int, code: str, locale: str = "es") -> None:
        """Open the deep link, choose `locale`, accept the privacy notice."""
        await self.say(user_id, f"/start {code}")
        await self.press(user_id, f"join:{locale}:{code}")
        shown = await self.press(user_id, f"consent:yes:{locale}:{code}")
        assert shown, "joining showed nothing"
