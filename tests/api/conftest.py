"""Fixtures for the PostgreSQL-only chat tests (row locks, pipelines, greenlets)."""

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from tests.factories import chat_service, join, make_barrio, make_ejecutor


@pytest.fixture
def joined_on_postgres(engine: Engine, session: Session) -> str:
    """A vecina (test_chat_service.VECINA) joined to a new barrio on PostgreSQL; its join code."""
    if engine.dialect.name != "postgresql":
        pytest.skip("row locks, pipelines and database waits on the loop are PostgreSQL's")
    barrio = make_barrio(session, make_ejecutor(session)[0])
    join(chat_service(engine), barrio.join_code)
    return barrio.join_code
