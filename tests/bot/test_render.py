"""Replies as Bot API calls: through the webhook the last one rides on the response, after the rest."""

from sqlalchemy import Engine

from bot.application import TelegramChannel
from bot.render import reply_call, send
from conversations.kernel.replies import Reply
from tests.factories import chat_service, make_barrio, make_ejecutor
from tests.fakes.telegram import Harness


async def test_through_the_webhook_earlier_replies_are_sent_and_the_last_is_returned(
        telegram: Harness, engine: Engine) -> None:
    from sqlmodel import Session

    with Session(engine) as session:
        code = make_barrio(session, make_ejecutor(session)[0]).join_code
    channel, bot = TelegramChannel(chat_service(engine)), telegram.application.bot
    await channel.serve(telegram.updates.message(77, f"/start {code}"), bot, webhook=True)
    await channel.serve(telegram.updates.press(77, f"join:es:{code}"), bot, webhook=True)
    telegram.fake.clear()
    call = await channel.serve(telegram.updates.press(77, f"consent:yes:es:{code}"), bot, webhook=True)
    # the welcome went out as a request (an edit of the pressed message); the menu rides on the answer
    assert [c.method for c in telegram.fake.calls] == ["answerCallbackQuery", "editMessageText"]
    assert "Bienvenida" in telegram.fake.calls[-1].text
    assert call is not None and call["method"] == "sendMessage" and call["chat_id"] == 77
    assert call["text"] == "¿Qué quieres hacer?" and call["reply_markup"]["inline_keyboard"]


async def test_a_press_that_changes_nothing_is_acknowledged_in_the_answer(telegram: Harness, engine: Engine) -> None:
    channel = TelegramChannel(chat_service(engine))
    update = telegram.updates.press(78, "zz:forged")  # not joined: the invitation is the reply
    call = await channel.serve(update, telegram.application.bot, webhook=True)
    assert call is not None and call["method"] == "sendMessage" and "código" in call["text"]


async def test_without_a_webhook_every_reply_is_sent_in_order(telegram: Harness) -> None:
    await send(telegram.application.bot, 77, [Reply("uno"), Reply("dos")])
    assert telegram.fake.texts(77) == ["uno", "dos"]


async def test_a_long_reply_is_cut_to_telegrams_limit_in_the_response_too() -> None:
    call = reply_call(77, Reply("x" * 5000))
    assert len(call["text"]) == 4096 and "reply_markup" not in call


async def test_a_replacing_reply_in_the_response_edits_the_pressed_message(telegram: Harness) -> None:
    pressed = telegram.updates.press(77, "sv:1:0:ok").callback_query.message  # type: ignore[union-attr]
    call = reply_call(77, Reply("Siguiente pregunta", replace=True), pressed)
    assert call == {"method": "editMessageText", "chat_id": 77, "message_id": pressed.message_id,  # type: ignore[union-attr]
                    "text": "Siguiente pregunta"}
    assert reply_call(77, Reply("Nuevo", replace=True), None)["method"] == "sendMessage"
