"""A vecina answers a geopoint with Telegram's location and an image with a photo."""

import csv
import io
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from api.barrios.models import Barrio
from api.kernel.config import Settings
from api.surveys.models import Survey, SurveyAnswer, SurveyPhoto
from api.surveys.store import create_survey, move
from bot.main import build_app
from tests.factories import auth, make_barrio, make_ejecutor
from tests.fakes.telegram import BASE_URL, TOKEN, Harness

VECINA = 6101
FORM: dict[str, Any] = {
    "title": "Microbasurales",
    "questions": [
        {"name": "start", "type": "start"},
        {"name": "lugar", "type": "geopoint", "required": True, "label": "¿Dónde está el microbasural?"},
        {"name": "foto", "type": "image", "label": "¿Tienes una foto?"},
    ],
}


def _stored(session: Session) -> dict[str, Any]:
    session.expire_all()
    return {a.question: a.value for a in session.exec(select(SurveyAnswer)).all()}


async def test_a_location_and_a_photo_answer_through_telegram(telegram: Harness, session: Session) -> None:
    barrio: Barrio = make_barrio(session, make_ejecutor(session)[0])
    survey = move(session, create_survey(session, barrio=barrio, kind="diagnostico", definition=FORM), "open")
    await telegram.join(VECINA, barrio.join_code)
    shown = await telegram.press(VECINA, f"sv:{survey.id}")
    assert "¿Dónde está el microbasural?" in shown[-1].text and "toca 📎 y elige «Ubicación»" in shown[-1].text
    assert _stored(session)["start"].endswith(("-03:00", "-04:00"))  # Santiago's offset

    shown = await telegram.sends(VECINA, telegram.updates.sticker(VECINA))
    assert "Solo puedo leer texto y botones" in shown[0].text and "¿Dónde está" in shown[-1].text
    shown = await telegram.sends(VECINA, telegram.updates.location(VECINA, -33.5912, -70.5523, 8.0))
    assert _stored(session)["lugar"] == "-33.5912 -70.5523 0 8"
    assert "¿Tienes una foto?" in shown[-1].text and f"sv:{survey.id}:2:skip" in shown[-1].button_data

    shown = await telegram.sends(VECINA, telegram.updates.photo(VECINA, "AgACAgEAAxkBAAIB", 210_000))
    assert _stored(session)["foto"] == "AgACAgEAAxkBAAIB"  # the largest size's file_id
    assert _pending(session) == {"foto": "AgACAgEAAxkBAAIB"}  # its bytes are due to be copied
    review = "\n".join(sent.text for sent in shown)
    assert "-33.5912, -70.5523" in review and "(foto)" in review


async def test_of_a_heavy_photo_the_heaviest_size_within_the_limit_is_kept(
        telegram: Harness, session: Session) -> None:
    await _asked_for_a_photo(telegram, session)
    heavy = telegram.updates.photo(VECINA, "AgAC-4000px", 14_000_000, smaller=(
        ("AgAC-90px", 1_500), ("AgAC-320px", 25_000), ("AgAC-1280px", 480_000), ("AgAC-2560px", 9_800_000)))
    shown = await telegram.sends(VECINA, heavy)
    assert "(foto)" in "\n".join(sent.text for sent in shown)  # accepted: on to the review
    assert _stored(session)["foto"] == "AgAC-2560px" and _pending(session) == {"foto": "AgAC-2560px"}


@pytest.mark.parametrize(("locale", "refused"), [
    ("es", "La foto pesa demasiado: máximo 10 MB. Envía una más liviana o, como esta pregunta es opcional, "
           "toca «Omitir»."),
    ("ht", "Foto a twò lou: 10 MB pi plis. Voye yon foto ki pi lejè oswa, kòm kesyon sa a pa obligatwa, "
           "peze «Sote»."),
    ("en", "The photo is too large: 10 MB at most. Send a lighter one or, as this question is optional, "
           "tap «Skip»."),
])
async def test_a_photo_over_the_limit_in_every_size_is_refused_in_the_vecinas_language(
        telegram: Harness, session: Session, locale: str, refused: str) -> None:
    survey = await _asked_for_a_photo(telegram, session, locale)
    too_heavy = telegram.updates.photo(VECINA, "AgAC-huge", 19_000_000, smaller=(("AgAC-big", 12_000_000),))
    shown = await telegram.sends(VECINA, too_heavy)
    assert shown[0].text == refused
    assert f"sv:{survey.id}:2:skip" in shown[-1].button_data  # asked again: «Omitir» is right there
    assert "foto" not in _stored(session) and _pending(session) == {}


async def _asked_for_a_photo(telegram: Harness, session: Session, locale: str = "es") -> Survey:
    """A vecina who joined in `locale` and answered the place: the photo question is being asked."""
    barrio: Barrio = make_barrio(session, make_ejecutor(session)[0])
    survey = move(session, create_survey(session, barrio=barrio, kind="diagnostico", definition=FORM), "open")
    await telegram.join(VECINA, barrio.join_code, locale)
    await telegram.press(VECINA, f"sv:{survey.id}", lang=locale)
    await telegram.sends(VECINA, telegram.updates.location(VECINA, -33.5912, -70.5523))
    return survey


def _pending(session: Session) -> dict[str, str]:
    """The photos waiting to be copied: question -> reference."""
    session.expire_all()
    return {p.question: p.reference for p in session.exec(select(SurveyPhoto)).all() if p.fetched_at is None}


async def test_the_ejecutor_downloads_a_photo_fetched_from_telegram_then(
        telegram: Harness, session: Session, engine: Engine) -> None:
    ejecutor, token = make_ejecutor(session)
    barrio = make_barrio(session, ejecutor)
    survey = move(session, create_survey(session, barrio=barrio, kind="diagnostico", definition=FORM), "open")
    await telegram.join(VECINA, barrio.join_code)
    await telegram.press(VECINA, f"sv:{survey.id}")
    await telegram.sends(VECINA, telegram.updates.location(VECINA, -33.5912, -70.5523))
    await telegram.sends(VECINA, telegram.updates.photo(VECINA, "AgACAgEAAxkBAAIB", 210_000))
    telegram.fake.photos["AgACAgEAAxkBAAIB"] = b"\xff\xd8\xff\xe0 a jpeg"

    settings = Settings(_env_file=None, database_url="sqlite://", telegram_bot_token=TOKEN,  # type: ignore[call-arg]
                        telegram_api_url=BASE_URL, telegram_bot_username="TestBot")
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=build_app(settings, engine)),
                                 base_url="http://testserver", headers=auth(token)) as api:
        export = await api.get(f"/api/surveys/{survey.id}/responses.csv")
        link = next(csv.DictReader(io.StringIO(export.text.lstrip("\ufeff"))))["foto"]
        assert link.startswith(f"/api/surveys/{survey.id}/photos/") and link.endswith("/foto")
        photo = await api.get(link)
        assert (photo.status_code, photo.headers["content-type"], photo.content) == (
            200, "image/jpeg", b"\xff\xd8\xff\xe0 a jpeg")
        assert [call.params["file_id"] for call in telegram.fake.calls if call.method == "getFile"] == [
            "AgACAgEAAxkBAAIB"]
        del telegram.fake.photos["AgACAgEAAxkBAAIB"]  # gone from Telegram
        assert (await api.get(link)).status_code == 404
        assert (await api.get(link.replace("/foto", "/lugar"))).status_code == 404  # not a photo question
        other = make_ejecutor(session, "Otra ONG")[1]
        assert (await api.get(link, headers=auth(other))).status_code == 404
