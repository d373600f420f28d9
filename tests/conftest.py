"""Shared fixtures: a migrated database per backend, the API client, the fake Bot API.

Every test that takes `engine` runs on SQLite and, when TEST_DATABASE_URL is set, on
PostgreSQL too (in a database created for this run and dropped after it).
"""

import os
import secrets
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager

import httpx
import pytest
from argon2 import PasswordHasher
from argon2.profiles import CHEAPEST
from sqlalchemy import Engine, text
from sqlmodel import Session, SQLModel

from api.kernel.config import Settings
from api.kernel.db import make_engine, scratch_database
from api.kernel.migrate import upgrade
from api.programme.phase_cache import PHASES
from api.staff import passwords
from bot.main import build_app
from tests.factories import ADMIN_TOKEN

# Argon2's cheapest parameters, which argon2-cffi provides for tests: a console test logs in and
# creates staff users, and at the product's cost (RFC 9106's defaults) that alone took a third of
# the suite's time. Still Argon2id, so stored hashes look as in production; servers the system
# tests start run the product's own parameters.
passwords._hasher = PasswordHasher.from_parameters(CHEAPEST)

BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])


@contextmanager
def fresh_postgres_database() -> Iterator[str]:
    """A new, empty database on the server of TEST_DATABASE_URL, dropped afterwards."""
    with scratch_database(os.environ["TEST_DATABASE_URL"], f"accion_test_{os.getpid()}_{secrets.token_hex(3)}") as url:
        yield url


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this test run."""
    with fresh_postgres_database() as url:
        yield url


@pytest.fixture(scope="session", params=BACKENDS)
def migrated_engine(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """A database brought to the newest schema by the real migrations."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    else:
        url = request.getfixturevalue("postgres_url")
    engine = make_engine(url)
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture(params=BACKENDS)
def blank_url(request: pytest.FixtureRequest, tmp_path: "os.PathLike[str]") -> Iterator[str]:
    """An empty database of its own for one test (one that migrates step by step)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/blank.db"
        return
    with fresh_postgres_database() as url:
        yield url


@pytest.fixture
def engine(migrated_engine: Engine) -> Iterator[Engine]:
    """The migrated database, emptied after each test."""
    yield migrated_engine
    tables = [t.name for t in reversed(SQLModel.metadata.sorted_tables)]
    with migrated_engine.begin() as connection:
        if migrated_engine.dialect.name == "postgresql":
            connection.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                connection.execute(text(f"DELETE FROM {table}"))
    PHASES.clear()  # the next test's barrios reuse these ids


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as session:
        yield session


@pytest.fixture
def settings() -> Settings:
    """Tests that probe every route with wrong tokens are not throttled here; tests/api/test_throttle.py is."""
    return Settings(_env_file=None, database_url="sqlite://", admin_token=ADMIN_TOKEN,  # type: ignore[call-arg]
                    telegram_bot_token=None, telegram_bot_username="TestBot", auth_failures=1_000_000)


@pytest.fixture
async def client(engine: Engine, settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """The API, called in-process through httpx's ASGI transport."""
    app = build_app(settings, engine)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client
