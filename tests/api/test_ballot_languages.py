"""Ballot titles, descriptions and iniciativas in the vecino's language, falling back to Spanish."""

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, select
from sqlmodel import Session

from api.ballots.models import Ballot
from api.ballots.store import export_votes
from api.outbox.models import OutboxMessage
from conversations.kernel.events import Event
from conversations.kernel.i18n import Translator
from tests.factories import VECINA, auth, chat_service, join, make_barrio, make_ejecutor, make_member, make_vote

SOON = datetime.now(UTC) + timedelta(hours=1)
BODY: dict[str, Any] = {
    "title": "Prioricemos 2027", "description": "Qué financiar primero", "method": "single",
    "opens_at": SOON.isoformat(), "closes_at": (SOON + timedelta(days=7)).isoformat(),
    "translations": {"ht": {"title": "Ann chwazi pou 2027", "description": "Kisa pou finanse anvan"}},
    "iniciativas": [
        {"title": "Huerto comunitario", "ambito": "huertos", "cost": 1_200_000,
         "translations": {"ht": {"title": "Jaden kominotè"}, "en": {"title": "Community garden"}}},
        {"title": "Luminarias", "ambito": "habitabilidad", "cost": 1_500_000},
    ],
}


@pytest.mark.parametrize(("locale", "title", "iniciativa"), [
    ("ht", "Ann chwazi pou 2027", "Jaden kominotè"),
    ("en", "Prioricemos 2027", "Community garden"),  # no English title: the Spanish one
    ("es", "Prioricemos 2027", "Huerto comunitario"),
])
async def test_vecinos_read_the_ballot_in_their_language(client: httpx.AsyncClient, engine: Engine,
                                                         session: Session, locale: str, title: str,
                                                         iniciativa: str) -> None:
    ejecutor, token = make_ejecutor(session)
    barrio = make_barrio(session, ejecutor)
    created = await client.post(f"/api/barrios/{barrio.id}/ballots", json=BODY, headers=auth(token))
    assert created.status_code == 201, created.text
    assert created.json()["iniciativas"][0]["translations"]["en"]["title"] == "Community garden"
    service = chat_service(engine)
    join(service, barrio.join_code, locale=locale)
    ballot = session.get(Ballot, created.json()["id"])
    assert ballot is not None
    assert (await client.post(f"/api/ballots/{ballot.id}/open", headers=auth(token))).status_code == 200

    notice = session.execute(select(OutboxMessage.text).where(OutboxMessage.kind == "ballot_open")).scalar_one()
    assert title in notice
    shown = service.handle(VECINA, Event.button(f"bl:{ballot.id}"))[-1]
    assert title in shown.text and iniciativa in shown.text
    assert any(iniciativa in b.label for row in shown.buttons for b in row)


async def test_a_language_we_do_not_offer_is_refused(client: httpx.AsyncClient, session: Session) -> None:
    ejecutor, token = make_ejecutor(session)
    barrio = make_barrio(session, ejecutor)
    body = {**BODY, "translations": {"fr": {"title": "Priorisons 2027"}}}
    answer = await client.post(f"/api/barrios/{barrio.id}/ballots", json=body, headers=auth(token))
    assert answer.status_code == 422 and "languages must be among ht, en" in answer.text


@pytest.mark.parametrize(("locale", "title", "iniciativa"), [
    ("ht", "Ann chwazi pou 2027", "1. Jaden kominotè"),
    ("en", "Prioricemos 2027", "1. Community garden"),
    ("es", "Prioricemos 2027", "1. Huerto comunitario"),
])
async def test_the_vote_in_the_data_download_reads_as_the_vecino_read_the_ballot(
        client: httpx.AsyncClient, session: Session, locale: str, title: str, iniciativa: str) -> None:
    ejecutor, token = make_ejecutor(session)
    barrio = make_barrio(session, ejecutor)
    created = await client.post(f"/api/barrios/{barrio.id}/ballots", json=BODY, headers=auth(token))
    ballot = session.get(Ballot, created.json()["id"])
    assert ballot is not None
    member = make_member(session, barrio, "5", locale=locale)
    make_vote(session, ballot, member, (0,))
    [record] = export_votes(session, member, Translator(locale))
    assert (record.topic, record.value) == (title, iniciativa)
