"""A photo answered inside a repeat is linked from the repeat's table and downloads from its stored copy."""

import csv
import io

import httpx
from sqlalchemy import Engine
from sqlmodel import Session

from api.kernel.channels import Fetched
from api.kernel.types import utcnow
from api.surveys.photo_copies import copy_due
from api.surveys.store import SqlSurveys
from tests.factories import auth, make_barrio, make_ejecutor, make_member, make_survey

ROSTER = {"title": "Hogar", "questions": [
    {"name": "personas", "type": "integer", "label": "¿Cuántas personas?"},
    {"name": "persona", "type": "repeat", "label": "Persona", "repeat_count": "${personas}", "questions": [
        {"name": "nombre", "type": "text", "label": "Nombre"},
        {"name": "foto", "type": "image", "label": "¿Una foto?"}]},
]}
JPEG = b"\xff\xd8\xff\xe0 la foto de Beto"


class Telegram:
    def fetch(self, reference: str) -> Fetched | None:
        return Fetched(JPEG, "image/jpeg") if reference == "AgAC-beto" else None


async def test_a_photo_in_a_repeat_is_linked_and_served_from_its_copy(
        client: httpx.AsyncClient, session: Session, engine: Engine) -> None:
    ejecutor, token = make_ejecutor(session)
    barrio = make_barrio(session, ejecutor)
    survey = make_survey(session, barrio, ROSTER)
    member = make_member(session, barrio, "51")
    port = SqlSurveys(session, member)
    for key, value in {"personas": 2, "nombre#1": "Ana", "foto#1": None, "nombre#2": "Beto",
                       "foto#2": "AgAC-beto"}.items():
        port.save(survey.id or 0, member, key, value)
    port.keep_photo(survey.id or 0, member, "foto#2", "AgAC-beto")
    session.commit()
    copy_due(engine, Telegram(), utcnow())

    table = await client.get(f"/api/surveys/{survey.id}/responses.csv?repeat=persona", headers=auth(token))
    people = list(csv.DictReader(io.StringIO(table.text.lstrip("\ufeff"))))
    assert people[0]["persona/foto"] == ""  # Ana's was skipped
    link = people[1]["persona/foto"]
    assert link == f"/api/surveys/{survey.id}/photos/{people[1]['respondent']}/foto%232"  # never Telegram's id
    photo = await client.get(link, headers=auth(token))
    assert (photo.status_code, photo.headers["content-type"], photo.content) == (200, "image/jpeg", JPEG)
