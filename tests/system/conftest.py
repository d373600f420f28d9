"""System tests: real `accion-local serve` processes, a real local fake Bot API."""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import fresh_postgres_database

BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database for one test (a file for SQLite)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'system.db'}"
        return
    with fresh_postgres_database() as url:
        yield url
