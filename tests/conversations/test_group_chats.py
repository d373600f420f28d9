"""Group chats: a command is pointed to a private chat, in the sender's language; the rest is left alone."""

from conversations.kernel.events import Event
from conversations.kernel.router import in_group


def test_a_command_in_a_group_is_pointed_to_a_private_chat_in_the_senders_language() -> None:
    assert [r.text for r in in_group(Event.parse("/start", lang_hint="es"))] == [
        "Escríbeme por mensaje privado para participar en tu barrio."]
    english = in_group(Event.parse("/votar", lang_hint="en"))
    assert len(english) == 1 and "privado" not in english[0].text and english[0].text


def test_talk_in_a_group_is_left_alone() -> None:
    assert in_group(Event.parse("hola a todos", lang_hint="es")) == []
    assert in_group(Event.other("sticker", lang_hint="es")) == []
