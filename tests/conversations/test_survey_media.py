"""Locations, photos and the start/end/today metadata in the survey conversation, as pure tables."""

from dataclasses import replace
from typing import Any

import pytest

from conversations.kernel.events import Event, PhotoSize, Place
from tests.factories import joined_chat
from tests.fakes.ports import Chat, MemorySurveys

FORM: dict[str, Any] = {
    "title": "Lugar",
    "questions": [
        {"name": "start", "type": "start"},
        {"name": "today", "type": "today"},
        {"name": "lugar", "type": "geopoint", "required": True, "label": "¿Dónde está el microbasural?"},
        {"name": "foto", "type": "image", "label": "¿Tienes una foto?"},
        {"name": "nota", "type": "text", "label": "¿Algo más?"},
        {"name": "end", "type": "end"},
    ],
}
LUGAR, FOTO, NOTA = 2, 3, 4


def _photo(*sizes: tuple[str, int]) -> Event:
    """A photo as Telegram offers it: each size's reference and weight, the lightest first."""
    return Event.photo(*(PhotoSize(reference, size) for reference, size in sizes))


@pytest.fixture
def surveys() -> MemorySurveys:
    memory = MemorySurveys()
    memory.add(1, barrio_id=1, definition=FORM)
    return memory


@pytest.fixture
def chat(surveys: MemorySurveys) -> Chat:
    return joined_chat(surveys=surveys)


def _stored(chat: Chat, surveys: MemorySurveys) -> dict[str, Any]:
    return surveys.answers(1, chat.state.member_id or "")


def test_start_and_today_are_recorded_on_entering_in_the_barrios_time(chat: Chat, surveys: MemorySurveys) -> None:
    texts = chat.press("sv:1")
    assert "Gracias por participar" in texts[0]  # metadata is no answer: not "Seguimos donde quedaste"
    assert _stored(chat, surveys) == {"start": "2026-11-23T12:00:00-03:00", "today": "2026-11-23"}  # 15:00 UTC
    assert "¿Dónde está el microbasural?" in texts[-1] and "Comparte tu ubicación: toca 📎" in texts[-1]


@pytest.mark.parametrize(("typed", "stored"), [
    ("-33.45, -70.66", "-33.45 -70.66 0 0"),
    ("-33.45 -70.66", "-33.45 -70.66 0 0"),
    ("-33,45; -70,66", "-33.45 -70.66 0 0"),
    ("-33,45 -70,66", "-33.45 -70.66 0 0"),
    ("-33.4489,-70.6693", "-33.4489 -70.6693 0 0"),
    ("-95, -70.66", None),  # no such latitude
    ("-33.45, 190", None),
    ("en la esquina de la sede", None),
    ("-33.45", None),
])
def test_a_place_typed_as_latitude_and_longitude(chat: Chat, surveys: MemorySurveys, typed: str,
                                                 stored: str | None) -> None:
    chat.press("sv:1")
    texts = chat.say(typed)
    if stored is None:
        assert "No entendí la ubicación. Compártela con 📎 «Ubicación», o escribe latitud y longitud" in texts[0]
        assert "lugar" not in _stored(chat, surveys)
    else:
        assert _stored(chat, surveys)["lugar"] == stored and "¿Tienes una foto?" in texts[-1]


def test_a_shared_location_answers_a_geopoint_and_a_photo_an_image(chat: Chat, surveys: MemorySurveys) -> None:
    chat.press("sv:1")
    assert "comparte tu ubicación, o escríbela" in chat.send(_photo(("AgAD-foto", 80_000)))[0]
    texts = chat.send(Event.location(Place(-33.448912, -70.669265, 12.5)))
    assert _stored(chat, surveys)["lugar"] == "-33.448912 -70.669265 0 12.5"
    assert "Envía una foto. Es opcional: si prefieres no enviarla, toca «Omitir»." in texts[-1]
    assert chat.buttons[-1] == "sv:1:3:skip"
    assert "envía una foto, o toca «Omitir»" in chat.say("no tengo")[0]
    assert "envía una foto, o toca «Omitir»" in chat.send(Event.location(Place(-33.4, -70.6)))[0]
    assert "La foto pesa demasiado: máximo 10 MB." in chat.send(_photo(("AgAD-enorme", 12_000_000)))[0]
    assert "foto" not in _stored(chat, surveys) and not surveys.photos
    assert "¿Algo más?" in chat.send(_photo(("AgAD-foto", 80_000)))[-1]
    assert _stored(chat, surveys)["foto"] == "AgAD-foto"  # the channel's reference: the store copies the bytes
    assert surveys.photos == {(1, chat.state.member_id, "foto"): "AgAD-foto"}  # due for copying
    assert "no se responde con una ubicación ni con una foto" in chat.send(Event.location(Place(-33.4, -70.6)))[0]


def test_end_is_recorded_when_finished_and_the_review_shows_place_and_photo(
        chat: Chat, surveys: MemorySurveys) -> None:
    chat.press("sv:1")
    chat.send(Event.location(Place(-33.45, -70.66)))
    chat.send(_photo(("AgAD-foto", 80_000)))
    review = "\n".join(chat.say("Nada"))
    stored = _stored(chat, surveys)
    assert stored["end"] == "2026-11-23T12:00:00-03:00" and stored["nota"] == "Nada"
    assert "-33.45, -70.66" in review and "(foto)" in review
    assert "start" not in review and "2026-11-23" not in review  # metadata is not shown to the vecino


def test_a_photo_outside_a_survey_is_refused_as_a_sticker_is(chat: Chat) -> None:
    texts = chat.send(_photo(("AgAD-foto", 80_000)))
    assert "Solo puedo leer texto y botones" in texts[0]


@pytest.mark.parametrize(("sizes", "kept"), [
    ((("s", 1_200), ("m", 900_000), ("x", 2_400_000), ("xl", 6_000_000)), "x"),  # the heaviest within 2.5 MB
    ((("s", 1_200), ("m", 2_500_000)), "m"),  # exactly the limit fits
    ((("only", 2_000_000),), "only"),
    ((("s", 0), ("m", 0)), "m"),  # weights not said: the channel's largest, the last
])
def test_the_heaviest_size_within_the_limit_is_kept(surveys: MemorySurveys, sizes: tuple[tuple[str, int], ...],
                                                      kept: str) -> None:
    chat = _limited(joined_chat(surveys=surveys), 2.5)
    chat.press("sv:1")
    chat.send(Event.location(Place(-33.45, -70.66)))
    assert "¿Algo más?" in chat.send(_photo(*sizes))[-1]
    assert _stored(chat, surveys)["foto"] == kept
    assert surveys.photos == {(1, chat.state.member_id, "foto"): kept}


@pytest.mark.parametrize(("locale", "refused"), [
    ("es", "La foto pesa demasiado: máximo 2,5 MB. Envía una más liviana o, como esta pregunta es opcional, "
           "toca «Omitir»."),
    ("ht", "Foto a twò lou: 2,5 MB pi plis. Voye yon foto ki pi lejè oswa, kòm kesyon sa a pa obligatwa, "
           "peze «Sote»."),
    ("en", "The photo is too large: 2.5 MB at most. Send a lighter one or, as this question is optional, "
           "tap «Skip»."),
])
def test_a_photo_too_heavy_in_every_size_is_refused_saying_the_limit_and_that_it_may_be_skipped(
        surveys: MemorySurveys, locale: str, refused: str) -> None:
    chat = _limited(joined_chat(surveys=surveys, locale=locale), 2.5)
    chat.press("sv:1")
    chat.send(Event.location(Place(-33.45, -70.66)))
    texts = chat.send(_photo(("m", 2_600_000), ("l", 7_000_000)))
    assert texts[0] == refused
    assert "foto" not in _stored(chat, surveys) and not surveys.photos
    assert f"sv:1:{FOTO}:skip" in chat.buttons  # asked again, with the skip button
    chat.press(f"sv:1:{FOTO}:skip")
    assert _stored(chat, surveys)["foto"] is None


def test_a_photo_skipped_after_all_is_no_longer_to_be_copied(chat: Chat, surveys: MemorySurveys) -> None:
    chat.press("sv:1")
    chat.send(Event.location(Place(-33.45, -70.66)))
    chat.send(_photo(("AgAD-foto", 80_000)))
    assert surveys.photos
    chat.press("sv:1:3:edit")
    chat.press(f"sv:1:{FOTO}:skip")
    assert _stored(chat, surveys)["foto"] is None and not surveys.photos


def _limited(chat: Chat, max_photo_mb: float) -> Chat:
    """The same conversation in a process whose photo limit (MAX_PHOTO_MB) is `max_photo_mb`."""
    contexts = chat.ctx_factory
    chat.ctx_factory = lambda: replace(contexts(), max_photo_mb=max_photo_mb)  # type: ignore[operator]
    return chat
