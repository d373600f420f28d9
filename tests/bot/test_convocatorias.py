"""The grupo motor writes a convocatoria in Telegram; vecinos get it and answer; counts come back."""

from sqlalchemy import Engine
from sqlmodel import Session, select

from api.barrios.models import Member
from api.convocatorias.models import Convocatoria
from api.outbox.sender import OutboxWorker, Sender
from bot.sender import outbox_bot, telegram_deliver
from tests.factories import make_barrio, make_ejecutor
from tests.fakes.telegram import BASE_URL, TOKEN, Harness

MOTOR, ROSA, JEAN, ANN, GONE = 6001, 6002, 6003, 6004, 6005


async def _deliver_outbox(engine: Engine) -> None:
    """What the `serve` process does in the background: send the queued messages."""
    async with outbox_bot(TOKEN, BASE_URL) as bot:
        sender = Sender(OutboxWorker(engine, rate=1000.0), telegram_deliver(bot))
        while await sender.run_once():
            pass
        await sender.drain()


async def _barrio(telegram: Harness, session: Session):  # type: ignore[no-untyped-def]
    ejecutor, _ = make_ejecutor(session)
    barrio = make_barrio(session, ejecutor)
    await telegram.join(MOTOR, barrio.motor_code)
    for vecino, locale in ((ROSA, "es"), (JEAN, "ht"), (ANN, "en"), (GONE, "es")):
        await telegram.join(vecino, barrio.join_code, locale)
    await telegram.say(GONE, "/salir")
    await telegram.press(GONE, "leave:yes")
    return barrio


async def _write(telegram: Harness) -> None:
    await telegram.say(MOTOR, "/convocar")
    await telegram.say(MOTOR, "Asamblea para validar el diagnóstico")
    await telegram.say(MOTOR, "sábado 18:30")
    await telegram.say(MOTOR, "Sede vecinal, Los Aromos 1234")


async def test_grupo_motor_writes_previews_and_sends_to_every_subscribed_vecino(
        telegram: Harness, session: Session, engine: Engine) -> None:
    await _barrio(telegram, session)
    assert "Solo el grupo motor" in (await telegram.say(ROSA, "/convocar"))[-1].text

    assert "título" in (await telegram.say(MOTOR, "/convocar"))[-1].text
    await telegram.say(MOTOR, "Asamblea para validar el diagnóstico")
    shown = await telegram.say(MOTOR, "mañana")
    assert "Falta la hora en «mañana»" in shown[0].text and "sábado 18:30" in shown[-1].text
    shown = await telegram.say(MOTOR, "01/01/2020 18:00")
    assert "ya pasó" in shown[0].text
    assert "Dónde" in (await telegram.say(MOTOR, "sábado 18:30"))[-1].text
    shown = await telegram.say(MOTOR, "Sede vecinal")
    assert shown[-1].button_data == ["cv:nodetails"]
    preview = await telegram.say(MOTOR, "Traer la lista de problemas del barrio")
    as_seen, question = preview[1], preview[2]
    assert "Asamblea para validar el diagnóstico" in as_seen.text and "sábado" in as_seen.text
    assert "18:30" in as_seen.text and "Sede vecinal" in as_seen.text and "Traer la lista" in as_seen.text
    assert [label for row in as_seen.buttons for label, _ in row] == ["Asistiré", "Tal vez", "No podré"]
    assert question.button_data == ["cv:send", "cv:edit", "cv:cancel", "cv:version:ht", "cv:version:en"]

    await telegram.press(MOTOR, "cv:edit")
    await telegram.press(MOTOR, "cv:field:place")
    preview = await telegram.say(MOTOR, "Multicancha de la villa")
    assert "Multicancha de la villa" in preview[1].text and "Sede vecinal" not in preview[1].text

    done = await telegram.press(MOTOR, "cv:send")
    assert "Va en camino a 4 vecinos" in done[-1].text
    assert "ya no está vigente" in (await telegram.press(MOTOR, "cv:send"))[-1].text  # a second tap sends nothing

    telegram.fake.clear()
    await _deliver_outbox(engine)
    received = {m.chat_id: m for m in telegram.fake.messages()}
    assert set(received) == {MOTOR, ROSA, JEAN, ANN}  # not the one who left
    assert "sábado" in received[ROSA].text and "Multicancha de la villa" in received[ROSA].text
    assert "Saturday" in received[ANN].text and "6:30" in received[ANN].text
    assert "Konvokasyon" in received[JEAN].text and "Èske w ap vini?" in received[JEAN].text
    convocatoria = session.exec(select(Convocatoria)).one()
    assert received[ANN].button_data == [f"rsvp:{convocatoria.id}:{a}" for a in ("yes", "maybe", "no")]
    assert [label for row in received[ANN].buttons for label, _ in row] == ["I'll be there", "Maybe", "I can't"]


async def test_rsvps_are_counted_and_names_shown_only_when_agreed(
        telegram: Harness, session: Session, engine: Engine) -> None:
    await _barrio(telegram, session)
    await _write(telegram)
    await telegram.say(MOTOR, "Sin más")
    await telegram.press(MOTOR, "cv:send")
    await _deliver_outbox(engine)
    cid = session.exec(select(Convocatoria)).one().id

    shown = await telegram.press(ROSA, f"rsvp:{cid}:yes")
    assert "Anotado: Asistiré" in shown[-1].text and shown[-1].button_data == ["nombre:yes", "nombre:no"]
    assert "Vecina6002" in (await telegram.press(ROSA, "nombre:yes"))[-1].text
    await telegram.press(JEAN, f"rsvp:{cid}:yes")
    await telegram.press(JEAN, f"rsvp:{cid}:maybe")  # changed her mind
    await telegram.press(ANN, f"rsvp:{cid}:no")

    status = (await telegram.say(MOTOR, "/convocatorias"))[-1].text
    assert "Entregada a 4 de 4 vecinos" in status
    assert "Asistiré: 1 · Tal vez: 1 · No podré: 1" in status
    assert "Asistiré: Vecina6002" in status and "Vecina6003" not in status

    listed = await telegram.press(ROSA, "cv:list")
    assert "Tu respuesta: Asistiré" in listed[-1].text
    assert "Tu respuesta: Asistiré" in (await telegram.say(ROSA, "/convocatorias"))[-1].text  # the list, not counts
    await telegram.say(ROSA, "/nombre")
    await telegram.press(ROSA, "nombre:no")
    assert "Vecina6002" not in (await telegram.say(MOTOR, "/convocatorias"))[-1].text
    session.expire_all()
    rosa = session.exec(select(Member).where(Member.chat_id == str(ROSA))).one()
    assert (rosa.share_name, rosa.display_name) == (False, None)

    shown = await telegram.say(ROSA, "/misdatos")
    assert "1 respuesta a convocatorias" in shown[-1].text


async def test_menu_offers_convocatorias_to_everyone_and_writing_to_the_grupo_motor(
        telegram: Harness, session: Session) -> None:
    await _barrio(telegram, session)
    motor_menu = (await telegram.say(MOTOR, "/menu"))[-1].button_data
    vecino_menu = (await telegram.say(ROSA, "/menu"))[-1].button_data
    assert {"cv:list", "cv:new", "cv:status"} <= set(motor_menu)
    assert "cv:list" in vecino_menu and "cv:new" not in vecino_menu
    assert "No hay convocatorias próximas" in (await telegram.press(ROSA, "cv:list"))[-1].text
    await _write(telegram)
    await telegram.press(MOTOR, "cv:nodetails")
    shown = await telegram.press(MOTOR, "cv:cancel")
    assert "No se envió nada" in shown[-1].text
    assert session.exec(select(Convocatoria)).first() is None


async def test_a_version_in_kreyol_reaches_the_kreyol_vecina_and_is_stored(
        telegram: Harness, session: Session, engine: Engine) -> None:
    await _barrio(telegram, session)
    await _write(telegram)
    await telegram.say(MOTOR, "Traer la lista")
    await telegram.press(MOTOR, "cv:version:ht")
    await telegram.say(MOTOR, "Asanble pou valide dyagnostik la")
    await telegram.say(MOTOR, "Pote lis la")
    await telegram.press(MOTOR, "cv:send")
    telegram.fake.clear()
    await _deliver_outbox(engine)
    received = {m.chat_id: m.text for m in telegram.fake.messages()}
    assert "Asanble pou valide dyagnostik la" in received[JEAN] and "Pote lis la" in received[JEAN]
    assert "Asamblea para validar el diagnóstico" in received[ROSA] and "Traer la lista" in received[ROSA]
    assert "Asamblea para validar el diagnóstico" in received[ANN]  # no English version: as written
    stored = session.exec(select(Convocatoria)).one()
    assert stored.versions == {"ht": {"title": "Asanble pou valide dyagnostik la", "details": "Pote lis la"}}
    listed = await telegram.press(JEAN, "cv:list")
    assert "Asanble pou valide dyagnostik la" in listed[-1].text
