"""Replies as Bot API calls: the last one may ride on the webhook response, after the rest."""

from typing import Any

from bot.render import reply_call, send
from conversations.kernel.replies import Button, Reply
from tests.telegram import Harness


async def test_earlier_replies_are_sent_and_the_last_is_handed_to_the_response(telegram: Harness) -> None:
    handed: list[dict[str, Any]] = []
    replies = [Reply("Guardado."), Reply("¿Cuántos años llevas en el barrio?", ((Button("Omitir", "sv:1:2:skip"),),))]
    await send(telegram.application.bot, 77, replies, respond=handed.append)
    assert telegram.fake.texts(77) == ["Guardado."]
    assert handed == [{"method": "sendMessage", "chat_id": 77, "text": "¿Cuántos años llevas en el barrio?",
                       "reply_markup": {"inline_keyboard": [[{"text": "Omitir", "callback_data": "sv:1:2:skip"}]]}}]


async def test_without_a_response_every_reply_is_sent_in_order(telegram: Harness) -> None:
    await send(telegram.application.bot, 77, [Reply("uno"), Reply("dos")])
    assert telegram.fake.texts(77) == ["uno", "dos"]


async def test_a_long_reply_is_cut_to_telegrams_limit_in_the_response_too(telegram: Harness) -> None:
    handed: list[dict[str, Any]] = []
    await send(telegram.application.bot, 77, [Reply("x" * 5000)], respond=handed.append)
    assert len(handed[0]["text"]) == 4096 and "reply_markup" not in handed[0]


async def test_a_replacing_reply_in_the_response_edits_the_pressed_message(telegram: Harness) -> None:
    pressed = telegram.updates.press(77, "sv:1:0:ok").callback_query.message  # type: ignore[union-attr]
    call = reply_call(77, Reply("Siguiente pregunta", replace=True), pressed)
    assert call == {"method": "editMessageText", "chat_id": 77, "message_id": pressed.message_id,  # type: ignore[union-attr]
                    "text": "Siguiente pregunta"}
    assert reply_call(77, Reply("Nuevo", replace=True), None)["method"] == "sendMessage"
