"""Photos vecinas send are copied into the database by the surveys feature's photo job, through the Bot API
(faked at the HTTP seam), so the ejecutor's download and the ZIP of a survey's photos no longer depend on
Telegram keeping the file; a failed or interrupted copy is tried again, a copied one never; /borrar and
retention delete them."""

import csv
import io
import json
import zipfile
from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, func, select
from sqlmodel import Session

from api.barrios.models import Barrio
from api.kernel.channels import Channels, Fetched
from api.kernel.config import Settings
from api.kernel.jobs import run_due
from api.kernel.types import utcnow
from api.privacy.models import DataLog
from api.privacy.retention import cut_links_due
from api.surveys.models import Survey, SurveyAnswer, SurveyPhoto
from api.surveys.photo_copies import LEASE, copy_due
from api.surveys.store import create_survey, move
from bot.main import FEATURES, build_app, channels_of, jobs_of
from tests.factories import auth, make_barrio, make_ejecutor
from tests.fakes.telegram import BASE_URL, TOKEN, Harness

VECINA, VECINO = 6201, 6202
FORM: dict[str, Any] = {
    "title": "Microbasurales",
    "questions": [
        {"name": "lugar", "type": "geopoint", "required": True, "label": "¿Dónde está el microbasural?"},
        {"name": "foto", "type": "image", "label": "¿Tienes una foto?"},
    ],
}
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF" + bytes(range(256)) * 8
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
SETTINGS = Settings(_env_file=None, database_url="sqlite://", telegram_bot_token=TOKEN,  # type: ignore[call-arg]
                    telegram_api_url=BASE_URL, telegram_bot_username="TestBot")


def _jobs() -> list[Any]:
    """Every job of the process as a server with the bot wires them (the photo job among them)."""
    return jobs_of(FEATURES, channels_of(SETTINGS))


async def _survey(session: Session) -> tuple[Survey, Barrio, str]:
    ejecutor, token = make_ejecutor(session)
    barrio = make_barrio(session, ejecutor)
    survey = move(session, create_survey(session, barrio=barrio, kind="diagnostico", definition=FORM), "open")
    return survey, barrio, token


async def _sends_photo(telegram: Harness, barrio: Barrio, survey: Survey, user: int, file_id: str) -> None:
    await telegram.join(user, barrio.join_code)
    await telegram.press(user, f"sv:{survey.id}")
    await telegram.sends(user, telegram.updates.location(user, -33.5912, -70.5523))
    await telegram.sends(user, telegram.updates.photo(user, file_id, 210_000))


async def _one_photo_sent(telegram: Harness, session: Session) -> tuple[Survey, Barrio, str]:
    """A vecina answers the survey with a photo Telegram still holds: the survey, its barrio, the ejecutor's token."""
    survey, barrio, token = await _survey(session)
    await _sends_photo(telegram, barrio, survey, VECINA, "AgAC-foto")
    telegram.fake.photos["AgAC-foto"] = JPEG
    return survey, barrio, token


def _get_files(telegram: Harness) -> list[str]:
    return [call.params["file_id"] for call in telegram.fake.calls if call.method == "getFile"]


def _photos(session: Session) -> list[SurveyPhoto]:
    session.expire_all()
    return list(session.exec(select(SurveyPhoto)).scalars())  # type: ignore[call-overload]


def _api(engine: Engine, token: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=build_app(SETTINGS, engine)),
                             base_url="http://testserver", headers=auth(token))


async def test_the_job_copies_a_photo_once_and_the_download_serves_it_after_telegram_forgot_it(
        telegram: Harness, session: Session, engine: Engine) -> None:
    survey, barrio, token = await _one_photo_sent(telegram, session)
    now = utcnow()

    run_due(engine, _jobs(), now)
    [photo] = _photos(session)
    assert (photo.content, photo.content_type, photo.size, photo.question) == (JPEG, "image/jpeg", len(JPEG), "foto")
    assert photo.fetched_at is not None and photo.next_attempt_at is None
    run_due(engine, _jobs(), now + timedelta(minutes=1))
    run_due(engine, _jobs(), now + timedelta(days=3))
    assert _get_files(telegram) == ["AgAC-foto"]  # copied once: the next runs leave it alone

    del telegram.fake.photos["AgAC-foto"]  # Telegram no longer has it
    async with _api(engine, token) as api:
        export = await api.get(f"/api/surveys/{survey.id}/responses.csv")
        link = next(csv.DictReader(io.StringIO(export.text.lstrip("\ufeff"))))["foto"]
        served = await api.get(link)
        assert (served.status_code, served.headers["content-type"], served.content) == (200, "image/jpeg", JPEG)
        assert _get_files(telegram) == ["AgAC-foto"]  # from the database, not from Telegram
        other = make_ejecutor(session, "Otra ONG")[1]
        assert (await api.get(link, headers=auth(other))).status_code == 404
    logged = session.execute(select(DataLog.action, DataLog.detail).where(
        DataLog.detail == f"survey {survey.id} photo foto")).all()
    assert logged == [("staff_export", f"survey {survey.id} photo foto")]


async def test_a_failed_copy_is_tried_again_later_and_one_cut_short_after_its_lease(
        telegram: Harness, session: Session, engine: Engine) -> None:
    survey, barrio, _ = await _one_photo_sent(telegram, session)
    now = utcnow()

    class Crashing:
        def fetch(self, reference: str) -> Fetched | None:
            raise RuntimeError("the process died while fetching")

    with pytest.raises(RuntimeError):
        copy_due(engine, Crashing(), now)
    run_due(engine, _jobs(), now + LEASE - timedelta(seconds=1))  # still held by the process that died
    assert _get_files(telegram) == [] and _photos(session)[0].fetched_at is None

    telegram.fake.unavailable = 1  # then Telegram answers 502 once
    later = now + LEASE
    run_due(engine, _jobs(), later)
    [photo] = _photos(session)
    assert photo.fetched_at is None and photo.attempts == 2 and photo.next_attempt_at == later + timedelta(minutes=2)
    run_due(engine, _jobs(), later + timedelta(minutes=1))  # not due yet
    assert _get_files(telegram) == ["AgAC-foto"]

    run_due(engine, _jobs(), later + timedelta(minutes=2))
    assert _get_files(telegram) == ["AgAC-foto", "AgAC-foto"] and _photos(session)[0].content == JPEG


async def test_another_photo_for_the_same_answer_replaces_the_copy(
        telegram: Harness, session: Session, engine: Engine) -> None:
    survey, barrio, _ = await _survey(session)
    await _sends_photo(telegram, barrio, survey, VECINA, "AgAC-first")
    telegram.fake.photos.update({"AgAC-first": JPEG, "AgAC-second": PNG})
    run_due(engine, _jobs(), utcnow())
    await telegram.press(VECINA, f"sv:{survey.id}:1:edit")  # «Cambiar» under the review
    await telegram.sends(VECINA, telegram.updates.photo(VECINA, "AgAC-second", 90_000))
    [photo] = _photos(session)
    assert (photo.reference, photo.content, photo.fetched_at) == ("AgAC-second", None, None)  # due again
    run_due(engine, _jobs(), utcnow())
    assert [(p.reference, p.content_type, p.content) for p in _photos(session)] == [("AgAC-second", "image/png", PNG)]


async def test_the_zip_holds_every_stored_photo_named_by_respondent_and_question(
        telegram: Harness, session: Session, engine: Engine) -> None:
    survey, barrio, token = await _survey(session)
    await _sends_photo(telegram, barrio, survey, VECINA, "AgAC-jpeg")
    await _sends_photo(telegram, barrio, survey, VECINO, "AgAC-png")
    async with _api(engine, token) as api:
        assert (await api.get(f"/api/surveys/{survey.id}/photos")).json() == {"stored": 0, "pending": 2}
        telegram.fake.photos.update({"AgAC-jpeg": JPEG, "AgAC-png": PNG})
        run_due(engine, _jobs(), utcnow())
        assert (await api.get(f"/api/surveys/{survey.id}/photos")).json() == {"stored": 2, "pending": 0}

        export = await api.get(f"/api/surveys/{survey.id}/responses.csv")
        respondents = [row["respondent"] for row in csv.DictReader(io.StringIO(export.text.lstrip("\ufeff")))]
        download = await api.get(f"/api/surveys/{survey.id}/photos.zip")
        assert download.headers["content-type"] == "application/zip"
        with zipfile.ZipFile(io.BytesIO(download.content)) as archive:
            files = {name: archive.read(name) for name in archive.namelist()}
        assert files == {f"{respondents[0]}_foto.jpg": JPEG, f"{respondents[1]}_foto.png": PNG}
        other = make_ejecutor(session, "Otra ONG")[1]
        assert (await api.get(f"/api/surveys/{survey.id}/photos.zip", headers=auth(other))).status_code == 404
    assert session.execute(select(func.count()).select_from(DataLog).where(
        DataLog.detail == f"survey {survey.id} photos.zip")).scalar_one() == 1


async def test_a_photo_job_runs_only_where_the_bot_runs() -> None:
    names = {getattr(job, "__name__", "") for job in jobs_of(FEATURES, Channels())}
    assert "copy_photos" not in names and "copy_photos" in {getattr(job, "__name__", "") for job in _jobs()}


async def test_borrar_deletes_her_stored_photos(telegram: Harness, session: Session, engine: Engine) -> None:
    survey, barrio, _ = await _survey(session)
    await _sends_photo(telegram, barrio, survey, VECINA, "AgAC-hers")
    await _sends_photo(telegram, barrio, survey, VECINO, "AgAC-his")
    telegram.fake.photos.update({"AgAC-hers": JPEG, "AgAC-his": PNG})
    run_due(engine, _jobs(), utcnow())
    assert "• 1 foto enviada en encuestas" in (await telegram.say(VECINA, "/misdatos"))[0].text
    await telegram.press(VECINA, "acct:download")
    mine = json.loads(telegram.fake.documents(VECINA)["mis-datos.json"])["records"]["photos"]
    assert [(r["topic"], r["item"], r["value"], r["code"]) for r in mine] == [
        ("Microbasurales", "¿Tienes una foto?", f"Foto guardada ({round(len(JPEG) / 1000)} kB)", len(JPEG))]

    await telegram.say(VECINA, "/borrar")
    await telegram.press(VECINA, "del:yes")
    assert [p.reference for p in _photos(session)] == ["AgAC-his"]


async def test_retention_deletes_the_photos_and_blanks_their_answers(
        telegram: Harness, session: Session, engine: Engine) -> None:
    survey, barrio, token = await _one_photo_sent(telegram, session)
    run_due(engine, _jobs(), utcnow())
    barrio.programme_ends_on = date.today() - timedelta(days=400)
    session.add(barrio)
    session.commit()

    cut_links_due(engine, utcnow(), months=6)
    assert _photos(session) == []
    answers = {a.question: a.value for a in session.exec(select(SurveyAnswer)).scalars()}  # type: ignore[call-overload]
    assert answers["foto"] == "" and answers["lugar"].startswith("-33.5912")  # answered, nothing left of it
    async with _api(engine, token) as api:
        export = await api.get(f"/api/surveys/{survey.id}/responses.csv")
        assert next(csv.DictReader(io.StringIO(export.text.lstrip("\ufeff"))))["foto"] == ""
