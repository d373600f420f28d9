"""Anything unexpected in Telegram gets a short translated hint: never silence, never a trace."""

import time

import pytest
from sqlmodel import Session

from tests.factories import make_barrio, make_ejecutor
from tests.fakes.telegram import Harness

VECINO = 6001


@pytest.fixture
def code(session: Session) -> str:
    ejecutor, _ = make_ejecutor(session)
    return make_barrio(session, ejecutor).join_code


async def test_sticker_photo_and_random_text_get_hints(telegram: Harness, code: str) -> None:
    await telegram.join(VECINO, code)
    before = len(telegram.fake.messages(VECINO))
    await telegram.feed(telegram.updates.sticker(VECINO))
    assert "stickers" in telegram.fake.last(VECINO).text
    assert "acct:help" in telegram.fake.last(VECINO).button_data
    await telegram.say(VECINO, "qwerty")
    assert "No entendí" in telegram.fake.last(VECINO).text
    assert len(telegram.fake.messages(VECINO)) == before + 2


async def test_edited_message_and_old_button(telegram: Harness, code: str) -> None:
    await telegram.join(VECINO, code, locale="en")
    edited = telegram.updates.message(VECINO, "hola")
    payload = edited.to_dict()
    payload["edited_message"] = payload.pop("message")
    payload["edited_message"]["edit_date"] = int(time.time())
    await telegram.feed(type(edited).de_json(payload, telegram.application.bot))
    assert "edited a message" in telegram.fake.last(VECINO).text
    shown = await telegram.press(VECINO, "lang:klingon")
    assert "no longer valid" in shown[-1].text


async def test_button_presses_are_answered_first(telegram: Harness, code: str) -> None:
    await telegram.join(VECINO, code)
    telegram.fake.clear()
    await telegram.press(VECINO, "acct:data")
    methods = [c.method for c in telegram.fake.calls]
    assert methods[0] == "answerCallbackQuery" and "sendMessage" in methods


async def test_group_chats_are_told_to_write_privately(telegram: Harness) -> None:
    update = telegram.updates.message(VECINO, "/start")
    payload = update.to_dict()
    payload["message"]["chat"] = {"id": -100, "type": "group", "title": "Junta de vecinos"}
    await telegram.feed(type(update).de_json(payload, telegram.application.bot))
    assert "privado" in telegram.fake.texts(-100)[-1]


async def test_a_failure_inside_gets_an_apology_not_a_trace(telegram: Harness, code: str,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    await telegram.join(VECINO, code, locale="ht")

    def broken(*_args: object, **_kw: object) -> None:
        raise RuntimeError("database is gone")

    channel_service = telegram.application.handlers[0][0].callback.__self__.service  # type: ignore[attr-defined]
    monkeypatch.setattr(channel_service, "handle", broken)
    await telegram.say(VECINO, "/misdatos", lang="ht")
    last = telegram.fake.last(VECINO).text
    assert "Eseye ankò" in last and "database" not in last and "Traceback" not in last


@pytest.mark.parametrize("body", [
    {"channel_post": {"message_id": 1, "date": 1, "chat": {"id": -5, "type": "channel"}, "text": "hola"}},
    {"inline_query": {"id": "1", "from": {"id": 7, "is_bot": False, "first_name": "X"}, "query": "x", "offset": ""}},
    {"my_chat_member": {"chat": {"id": 7, "type": "private"}, "from": {"id": 7, "is_bot": False, "first_name": "X"},
                        "date": 1, "old_chat_member": {"status": "member", "user": {"id": 1, "is_bot": True,
                                                                                     "first_name": "B"}},
                        "new_chat_member": {"status": "kicked", "until_date": 0,
                                            "user": {"id": 1, "is_bot": True, "first_name": "B"}}}},
])
async def test_updates_with_nobody_to_answer_are_ignored_quietly(telegram: Harness, body: dict[str, object]) -> None:
    from telegram import Update

    await telegram.feed(Update.de_json({"update_id": 77, **body}, telegram.application.bot))
    assert telegram.fake.messages() == []  # no reply, no apology: nobody to answer
