"""Staff users: created by the admin and by colleagues, Argon2 passwords, slowed guessing, per-user tokens."""

from datetime import timedelta

import httpx
import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from api.kernel.jobs import run_due
from api.kernel.security import hash_token
from api.kernel.types import utcnow
from api.staff.jobs import prune_sessions
from api.staff.models import LoginFailure, StaffSession, StaffUser
from api.staff.organisations import first_staff
from api.staff.store import BadCredentials, Throttled, create_token, log_in, session_user, set_active
from api.staff.throttle import FREE
from tests.factories import ADMIN_TOKEN, STAFF_PASSWORD, auth, make_barrio, make_ejecutor, make_staff

NEW = {"name": "Rosa Díaz", "email": "Rosa@ONG.cl", "password": "doce caracteres"}


async def test_the_admin_creates_an_organisations_first_staff_user(client: httpx.AsyncClient,
                                                                   session: Session) -> None:
    ejecutor, _ = make_ejecutor(session)
    created = await client.post(f"/api/ejecutores/{ejecutor.id}/staff", json=NEW, headers=auth(ADMIN_TOKEN))
    assert created.status_code == 201, created.text
    assert created.json()["email"] == "rosa@ong.cl" and "password" not in created.text
    stored = session.get(StaffUser, created.json()["id"])
    assert stored is not None and stored.password_hash.startswith("$argon2id$")
    again = await client.post(f"/api/ejecutores/{ejecutor.id}/staff", json=NEW, headers=auth(ADMIN_TOKEN))
    assert again.status_code == 409
    missing = await client.post("/api/ejecutores/999/staff", json=NEW, headers=auth(ADMIN_TOKEN))
    assert missing.status_code == 404


async def test_passwords_have_at_least_twelve_characters(client: httpx.AsyncClient, session: Session) -> None:
    _, token = make_ejecutor(session)
    short = await client.post("/api/staff", json={**NEW, "password": "once carac."}, headers=auth(token))
    assert short.status_code == 422 and short.json()["errors"][0]["field"] == "password"


async def test_staff_add_and_deactivate_colleagues_of_their_own_organisation(client: httpx.AsyncClient,
                                                                            session: Session) -> None:
    ours, token = make_ejecutor(session)
    theirs, their_token = make_ejecutor(session, "Otra ONG")
    added = await client.post("/api/staff", json=NEW, headers=auth(token))
    assert added.status_code == 201
    colleague = added.json()["id"]
    assert [u["email"] for u in (await client.get("/api/staff", headers=auth(token))).json()] == ["rosa@ong.cl"]
    assert (await client.get("/api/staff", headers=auth(their_token))).json() == []
    assert (await client.post(f"/api/staff/{colleague}/deactivate", headers=auth(their_token))).status_code == 404
    off = await client.post(f"/api/staff/{colleague}/deactivate", headers=auth(token))
    assert off.json()["active"] is False


async def test_a_staff_token_acts_for_the_organisation_until_its_user_is_deactivated(
        client: httpx.AsyncClient, session: Session) -> None:
    ejecutor, _ = make_ejecutor(session)
    make_barrio(session, ejecutor)
    user = make_staff(session, ejecutor)
    _row, token = create_token(session, user, "hoja de cálculo")
    assert len((await client.get("/api/barrios", headers=auth(token))).json()) == 1
    set_active(session, user, False)
    assert (await client.get("/api/barrios", headers=auth(token))).status_code == 401


def test_logging_in_gives_a_session_that_deactivation_ends(session: Session) -> None:
    user = make_staff(session, make_ejecutor(session)[0])
    found, token, csrf = log_in(session, email="ANA@ong.cl ", password=STAFF_PASSWORD, address="10.0.0.1")
    assert found.id == user.id and len(csrf) > 30
    assert session_user(session, token) is not None
    set_active(session, user, False)
    assert session_user(session, token) is None
    with pytest.raises(BadCredentials):  # and a deactivated user cannot log in again
        log_in(session, email="ana@ong.cl", password=STAFF_PASSWORD, address="10.0.0.1")


def test_sessions_expire(session: Session) -> None:
    make_staff(session, make_ejecutor(session)[0])
    _user, token, _csrf = log_in(session, email="ana@ong.cl", password=STAFF_PASSWORD, address="10.0.0.1")
    assert session_user(session, token, now=utcnow() + timedelta(hours=13)) is None


def test_failed_logins_are_slowed_down_per_account(session: Session) -> None:
    make_staff(session, make_ejecutor(session)[0])
    now = utcnow()
    for n in range(FREE + 1):
        with pytest.raises(BadCredentials):
            log_in(session, email="ana@ong.cl", password="wrong", address=f"10.0.0.{n}", now=now)
    with pytest.raises(Throttled):  # even the right password waits, from yet another address
        log_in(session, email="ana@ong.cl", password=STAFF_PASSWORD, address="10.9.9.9", now=now)
    log_in(session, email="ana@ong.cl", password=STAFF_PASSWORD, address="10.9.9.9", now=now + timedelta(seconds=3))


def test_failed_logins_are_slowed_down_per_address(session: Session) -> None:
    ejecutor = make_ejecutor(session)[0]
    make_staff(session, ejecutor)
    now = utcnow()
    for n in range(FREE + 1):  # one address guessing across many accounts
        with pytest.raises(BadCredentials):
            log_in(session, email=f"persona{n}@ong.cl", password="wrong", address="10.0.0.66", now=now)
    with pytest.raises(Throttled):
        log_in(session, email="ana@ong.cl", password=STAFF_PASSWORD, address="10.0.0.66", now=now)
    log_in(session, email="ana@ong.cl", password=STAFF_PASSWORD, address="10.0.0.7", now=now)


def test_the_command_line_creates_the_organisation_with_its_first_user(session: Session) -> None:
    said = first_staff(session, organisation="Municipalidad de Lota", name="Ana", email="ana@lota.cl",
                       password=STAFF_PASSWORD)
    assert "created" in said and "al_" in said and "ana@lota.cl" in said
    said = first_staff(session, organisation="Municipalidad de Lota", name="Luis", email="luis@lota.cl",
                       password=STAFF_PASSWORD)
    assert "created" not in said and "luis@lota.cl" in said


def test_expired_sessions_and_old_failures_are_pruned(engine: Engine, session: Session) -> None:
    make_staff(session, make_ejecutor(session)[0])
    now = utcnow()
    _user, live, _csrf = log_in(session, email="ana@ong.cl", password=STAFF_PASSWORD, address="10.0.0.1", now=now)
    _user, old, _csrf = log_in(session, email="ana@ong.cl", password=STAFF_PASSWORD, address="10.0.0.1",
                               now=now - timedelta(hours=13))
    with pytest.raises(BadCredentials):
        log_in(session, email="ana@ong.cl", password="wrong", address="10.0.0.9", now=now - timedelta(days=2))
    run_due(engine, [prune_sessions], now)
    session.expire_all()
    assert session_user(session, live, now) is not None
    assert session.get(StaffSession, hash_token(old)) is None
    assert session.exec(select(LoginFailure)).all() == []


async def test_names_are_trimmed_before_they_are_checked(client: httpx.AsyncClient, session: Session) -> None:
    _, token = make_ejecutor(session)
    for name in (" X", "   "):
        answer = await client.post("/api/staff", json={**NEW, "name": name}, headers=auth(token))
        assert answer.status_code == 422 and answer.json()["errors"][0]["field"] == "name", name
    added = await client.post("/api/staff", json={**NEW, "name": "  Rosa Díaz "}, headers=auth(token))
    assert added.json()["name"] == "Rosa Díaz"
