"""Staff edit a scheduled ballot, move its times, or cancel it: no results go out, and only the
vecinos who got it (or began voting) are told, in their language, through the outbox."""

from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import update
from sqlmodel import Session, select

from api.ballots.models import Ballot
from api.ballots.schedule import open_notice
from api.barrios.models import Member
from api.kernel.types import utcnow
from api.outbox.models import SENT, OutboxMessage
from conversations.kernel.i18n import Translator
from tests.factories import auth, make_ballot, make_barrio, make_ejecutor, make_member, make_vote, open_for_all

LATER = utcnow() + timedelta(days=2)


@pytest.fixture
def owner(session: Session):  # type: ignore[no-untyped-def]
    ejecutor, token = make_ejecutor(session)
    return make_barrio(session, ejecutor), token


def body(**over: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "Prioricemos 2028", "method": "approval", "max_choices": 2,
        "opens_at": LATER.isoformat(), "closes_at": (LATER + timedelta(days=3)).isoformat(),
        "iniciativas": [{"title": "Huerto", "ambito": "huertos", "cost": 100},
                        {"title": "Luces", "ambito": "habitabilidad", "cost": 200},
                        {"title": "Taller", "ambito": "bienestar", "cost": 300}],
    }
    data.update(over)
    return data


def outbox(session: Session, kind: str) -> dict[str, str]:
    """The queued texts of `kind`, by the language of their member."""
    session.expire_all()
    rows = session.exec(select(OutboxMessage.text, Member.locale).join(Member).where(OutboxMessage.kind == kind)).all()
    return {locale: text for text, locale in rows}


def deliver_all(session: Session) -> None:
    """As if the sender had delivered everything queued so far."""
    session.execute(update(OutboxMessage).values(status=SENT))
    session.commit()


async def test_a_scheduled_ballot_is_edited_iniciativas_and_all(client: httpx.AsyncClient, session: Session,
                                                                owner) -> None:  # type: ignore[no-untyped-def]
    barrio, token = owner
    ballot = make_ballot(session, barrio, opens_at=LATER)
    answer = await client.put(f"/api/ballots/{ballot.id}", json=body(), headers=auth(token))
    assert answer.status_code == 200, answer.text
    edited = answer.json()
    assert edited["title"] == "Prioricemos 2028" and edited["method"] == "approval" and edited["max_choices"] == 2
    assert [i["title"] for i in edited["iniciativas"]] == ["Huerto", "Luces", "Taller"]
    again = (await client.get(f"/api/ballots/{ballot.id}", headers=auth(token))).json()
    assert [i["cost"] for i in again["iniciativas"]] == [100, 200, 300]


async def test_an_open_ballot_cannot_be_edited_and_bad_input_is_422(client: httpx.AsyncClient, session: Session,
                                                                     owner) -> None:  # type: ignore[no-untyped-def]
    barrio, token = owner
    ballot = make_ballot(session, barrio, opens_at=LATER)
    bad = await client.put(f"/api/ballots/{ballot.id}", json=body(method="plurality"), headers=auth(token))
    assert bad.status_code == 422 and "method" in bad.text
    past = await client.put(f"/api/ballots/{ballot.id}", json=body(
        opens_at=(utcnow() - timedelta(days=3)).isoformat(), closes_at=(utcnow() - timedelta(days=1)).isoformat()),
        headers=auth(token))
    assert past.status_code == 422 and "closes_at" in past.text
    assert (await client.post(f"/api/ballots/{ballot.id}/open", headers=auth(token))).status_code == 200
    late = await client.put(f"/api/ballots/{ballot.id}", json=body(), headers=auth(token))
    assert late.status_code == 409 and "open" in late.text


async def test_another_organisations_ballot_is_404_for_every_change(client: httpx.AsyncClient, session: Session,
                                                                    owner) -> None:  # type: ignore[no-untyped-def]
    barrio, _ = owner
    ballot = make_ballot(session, barrio, opens_at=LATER)
    _, other = make_ejecutor(session, "Otra ONG")
    for method, path, payload in (("PUT", "", body()), ("POST", "/cancel", None),
                                  ("POST", "/reschedule", {"closes_at": (LATER + timedelta(days=9)).isoformat()})):
        answer = await client.request(method, f"/api/ballots/{ballot.id}{path}", json=payload, headers=auth(other))
        assert answer.status_code == 404, (path, answer.text)
    session.expire_all()
    assert session.get(Ballot, ballot.id).status == "scheduled"  # type: ignore[union-attr]


async def test_cancelling_a_scheduled_ballot_tells_nobody(client: httpx.AsyncClient, session: Session,
                                                          owner) -> None:  # type: ignore[no-untyped-def]
    barrio, token = owner
    make_member(session, barrio, "1")
    ballot = make_ballot(session, barrio, opens_at=LATER)
    answer = await client.post(f"/api/ballots/{ballot.id}/cancel", headers=auth(token))
    assert answer.status_code == 200 and answer.json()["status"] == "cancelled"
    assert answer.json()["cancelled_at"] is not None
    assert not outbox(session, "ballot_cancelled") and not outbox(session, "ballot_open")
    again = await client.post(f"/api/ballots/{ballot.id}/cancel", headers=auth(token))
    assert again.status_code == 409
    assert (await client.post(f"/api/ballots/{ballot.id}/open", headers=auth(token))).status_code == 409
    assert (await client.post(f"/api/ballots/{ballot.id}/close", headers=auth(token))).status_code == 409


async def test_cancelling_an_open_ballot_tells_who_got_it_in_their_language_and_sends_no_results(
        client: httpx.AsyncClient, session: Session, owner) -> None:  # type: ignore[no-untyped-def]
    barrio, token = owner
    es, ht = make_member(session, barrio, "1"), make_member(session, barrio, "2", locale="ht")
    ballot = make_ballot(session, barrio)
    open_for_all(session, ballot)
    session.commit()
    deliver_all(session)
    make_vote(session, ballot, es)
    en = make_member(session, barrio, "3", locale="en")  # joined later: never got the ballot
    make_member(session, barrio, "4", locale="en")
    make_vote(session, ballot, en)  # ... but found it in the chat and voted
    late = make_member(session, barrio, "5")  # joined later, did nothing: nothing to tell
    answer = await client.post(f"/api/ballots/{ballot.id}/cancel", headers=auth(token))
    assert answer.status_code == 200, answer.text
    told = outbox(session, "ballot_cancelled")
    assert set(told) == {"es", "ht", "en"}
    assert "fue cancelada" in told["es"] and "Prioricemos 2027" in told["es"]
    assert "anile" in told["ht"] and "was cancelled" in told["en"]
    session.expire_all()
    members = {m for (m,) in session.execute(select(OutboxMessage.member_id).where(
        OutboxMessage.kind == "ballot_cancelled"))}
    assert members == {es, ht, en} and late not in members
    assert not outbox(session, "ballot_results")
    assert session.get(Ballot, ballot.id).status == "cancelled"  # type: ignore[union-attr]


async def test_cancelling_withdraws_opening_messages_not_yet_sent(client: httpx.AsyncClient, session: Session,
                                                                  owner) -> None:  # type: ignore[no-untyped-def]
    barrio, token = owner
    make_member(session, barrio, "1")
    ballot = make_ballot(session, barrio)
    open_for_all(session, ballot)
    session.commit()
    assert outbox(session, "ballot_open")
    assert (await client.post(f"/api/ballots/{ballot.id}/cancel", headers=auth(token))).status_code == 200
    assert not outbox(session, "ballot_open") and not outbox(session, "ballot_cancelled")


async def test_a_salir_member_is_not_told(client: httpx.AsyncClient, session: Session,
                                          owner) -> None:  # type: ignore[no-untyped-def]
    barrio, token = owner
    gone = make_member(session, barrio, "1")
    ballot = make_ballot(session, barrio)
    open_for_all(session, ballot)
    session.commit()
    deliver_all(session)
    session.execute(update(Member).where(Member.id == gone).values(subscribed=False))
    session.commit()
    assert (await client.post(f"/api/ballots/{ballot.id}/cancel", headers=auth(token))).status_code == 200
    assert not outbox(session, "ballot_cancelled")


async def test_rescheduling_a_scheduled_ballot_moves_both_times(client: httpx.AsyncClient, session: Session,
                                                                owner) -> None:  # type: ignore[no-untyped-def]
    barrio, token = owner
    ballot = make_ballot(session, barrio, opens_at=LATER)
    opens, closes = LATER + timedelta(days=5), LATER + timedelta(days=9)
    answer = await client.post(f"/api/ballots/{ballot.id}/reschedule", headers=auth(token),
                               json={"opens_at": opens.isoformat(), "closes_at": closes.isoformat()})
    assert answer.status_code == 200, answer.text
    assert answer.json()["opens_at"].startswith(opens.strftime("%Y-%m-%dT%H:%M"))
    backwards = await client.post(f"/api/ballots/{ballot.id}/reschedule", headers=auth(token),
                                  json={"opens_at": closes.isoformat(), "closes_at": opens.isoformat()})
    assert backwards.status_code == 422 and "closes_at" in backwards.text


async def test_rescheduling_an_open_ballot_tells_who_got_it_the_new_closing_date(
        client: httpx.AsyncClient, session: Session, owner) -> None:  # type: ignore[no-untyped-def]
    barrio, token = owner
    make_member(session, barrio, "1")
    make_member(session, barrio, "2", locale="ht")
    ballot = make_ballot(session, barrio)
    open_for_all(session, ballot)
    session.commit()
    deliver_all(session)
    waiting = make_member(session, barrio, "3", locale="en")
    open_ballot_again = session.get(Ballot, ballot.id)
    assert open_ballot_again is not None
    open_notice(session, open_ballot_again, barrio)  # still waiting for the newcomer
    session.commit()
    closes = utcnow() + timedelta(days=20)
    moved = await client.post(f"/api/ballots/{ballot.id}/reschedule", headers=auth(token),
                              json={"closes_at": closes.isoformat()})
    assert moved.status_code == 200, moved.text
    notices = outbox(session, "ballot_moved:1")
    assert set(notices) == {"es", "ht"}
    assert "Cambió la fecha de cierre" in notices["es"] and "Prioricemos 2027" in notices["es"]
    assert notices["ht"] != notices["es"]
    opening = session.exec(select(OutboxMessage.text).where(OutboxMessage.member_id == waiting,
                                                            OutboxMessage.kind == "ballot_open")).one()
    assert Translator("en", barrio.timezone).datetime(closes) in opening
    shifted = await client.post(f"/api/ballots/{ballot.id}/reschedule", headers=auth(token),
                                json={"opens_at": LATER.isoformat(), "closes_at": closes.isoformat()})
    assert shifted.status_code == 409


async def test_a_scheduled_ballot_is_deleted_and_an_open_one_is_not(client: httpx.AsyncClient, session: Session,
                                                                    owner) -> None:  # type: ignore[no-untyped-def]
    barrio, token = owner
    draft, opened = make_ballot(session, barrio, opens_at=LATER), make_ballot(session, barrio)
    open_for_all(session, opened)
    session.commit()
    _, other = make_ejecutor(session, "Otra ONG")
    assert (await client.delete(f"/api/ballots/{draft.id}", headers=auth(other))).status_code == 404
    assert (await client.delete(f"/api/ballots/{draft.id}", headers=auth(token))).status_code == 204
    assert (await client.get(f"/api/ballots/{draft.id}", headers=auth(token))).status_code == 404
    refused = await client.delete(f"/api/ballots/{opened.id}", headers=auth(token))
    assert refused.status_code == 409 and "cancel it" in refused.text
