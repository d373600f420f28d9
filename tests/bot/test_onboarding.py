"""A vecino joins a barrio through Telegram: deep link or typed code, language, consent."""

import pytest
from sqlmodel import Session, func, select

from api.barrios.models import Member
from api.chat.models import Conversation
from tests.factories import make_barrio, make_ejecutor
from tests.fakes.telegram import Harness

VECINA = 5001


def _barrio(session: Session):  # type: ignore[no-untyped-def]
    ejecutor, _ = make_ejecutor(session)
    return make_barrio(session, ejecutor)


def _count(session: Session, model: type) -> int:
    session.expire_all()
    return session.exec(select(func.count()).select_from(model)).one()


async def test_deep_link_language_and_consent_create_the_member(telegram: Harness, session: Session) -> None:
    barrio = _barrio(session)
    shown = await telegram.say(VECINA, f"/start {barrio.join_code}")
    assert shown[-1].button_data == [f"join:{loc}:{barrio.join_code}" for loc in ("es", "ht", "en")]
    assert _count(session, Member) == 0

    shown = await telegram.press(VECINA, f"join:es:{barrio.join_code}")
    assert "¿Aceptas?" in shown[-1].text and barrio.name in shown[-1].text
    assert "/borrar" in shown[-1].text
    assert _count(session, Member) == 0 and _count(session, Conversation) == 0

    shown = await telegram.press(VECINA, f"consent:yes:es:{barrio.join_code}")
    assert any("Bienvenida" in s.text for s in shown)
    member = session.exec(select(Member)).one()
    assert (member.barrio_id, member.locale, member.role) == (barrio.id, "es", "vecino")
    assert member.chat_id == str(VECINA) and not member.id.startswith(str(VECINA))


async def test_typed_code_after_start_and_wrong_code_gets_another_try(telegram: Harness, session: Session) -> None:
    barrio = _barrio(session)
    shown = await telegram.say(VECINA, "/start")
    assert "código" in shown[-1].text
    shown = await telegram.say(VECINA, "ZZZZZZ")
    assert "No encontré" in shown[-1].text and "ZZZZZZ" in shown[-1].text
    shown = await telegram.say(VECINA, barrio.join_code.lower())
    assert shown[-1].button_data[0] == f"join:es:{barrio.join_code}"


@pytest.mark.parametrize(("locale", "refused", "again", "notice", "greeting", "unknown"), [
    ("en", "we keep nothing", "I changed my mind", "Do you agree?", "Hello! I am the Acción Local assistant",
     "I found no barrio with the code"),
    ("ht", "nou pa kenbe anyen", "Mwen chanje lide", "Ou dakò?", "Bonjou! Mwen se asistan Acción Local",
     "Mwen pa jwenn"),
    ("es", "no guardamos nada", "Cambié de opinión", "¿Aceptas?", "¡Hola! Soy el asistente de Acción Local",
     "No encontré un barrio"),
])
async def test_refusing_consent_leaves_no_record_and_coming_back_keeps_the_language(
        telegram: Harness, session: Session, locale: str, refused: str, again: str, notice: str, greeting: str,
        unknown: str) -> None:
    barrio = _barrio(session)
    await telegram.say(VECINA, f"/start {barrio.join_code}", lang="es")  # a phone set to Spanish
    await telegram.press(VECINA, f"join:{locale}:{barrio.join_code}")
    shown = await telegram.press(VECINA, f"consent:no:{locale}:{barrio.join_code}")
    assert refused in shown[-1].text
    assert _count(session, Member) == 0 and _count(session, Conversation) == 0
    assert [label for row in shown[-1].buttons for label, _ in row] == [again]
    shown = await telegram.press(VECINA, shown[-1].button_data[0])  # the language travels in the button
    assert notice in shown[-1].text
    assert _count(session, Member) == 0 and _count(session, Conversation) == 0
    # typing instead: nothing was kept, so the next greeting (and a mistyped code) speak every language,
    # the phone's first: the one she chose is among them
    for typed, expected in (("/start", greeting), ("hola", unknown)):
        answer = (await telegram.say(VECINA, typed, lang="es"))[-1].text
        assert expected in answer and answer.startswith(("¡Hola!", "No encontré")), answer
    assert _count(session, Member) == 0 and _count(session, Conversation) == 0


async def test_haitian_creole_vecina_is_answered_in_kreyol(telegram: Harness, session: Session) -> None:
    barrio = _barrio(session)
    await telegram.join(VECINA, barrio.join_code, locale="ht")
    shown = await telegram.say(VECINA, "/misdatos")
    assert "Kreyòl ayisyen" in shown[-1].text
    assert "guardamos" not in shown[-1].text  # translated, not the Spanish source


async def test_motor_code_joins_as_grupo_motor(telegram: Harness, session: Session) -> None:
    barrio = _barrio(session)
    await telegram.join(VECINA, barrio.motor_code)
    assert session.exec(select(Member)).one().role == "motor"


async def test_a_vecina_who_blocked_the_bot_is_reachable_again_after_start(telegram: Harness,
                                                                         session: Session) -> None:
    barrio = _barrio(session)
    await telegram.join(VECINA, barrio.join_code)
    member = session.exec(select(Member)).one()
    member.reachable = False  # the sender got a 403 while she had blocked the bot
    session.add(member)
    session.commit()
    shown = await telegram.say(VECINA, "/start")
    assert "Volverás a recibir" in shown[-1].text
    session.expire_all()
    assert session.exec(select(Member)).one().reachable
