"""Fixtures for the console: two organisations, and the console in-process logged in as our staff user."""

from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from api.kernel.config import Settings
from bot.main import build_app
from tests.factories import TwoOrganisations, console_login, two_organisations


@pytest.fixture
def world(session: Session) -> TwoOrganisations:
    return two_organisations(session)


@pytest.fixture
async def browser(engine: Engine, settings: Settings, world: TwoOrganisations) -> AsyncIterator[httpx.AsyncClient]:
    """The console in-process, logged in as our staff user (the client keeps the cookies)."""
    transport = httpx.ASGITransport(app=build_app(settings, engine), client=("10.1.2.3", 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        assert (await console_login(client)).status_code == 303
        yield client


@pytest.fixture
async def stranger(engine: Engine, settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """The console for someone not logged in."""
    transport = httpx.ASGITransport(app=build_app(settings, engine))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client
