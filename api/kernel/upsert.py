"""INSERT .. ON CONFLICT statements, built once for each database we run on.

SQLite and PostgreSQL spell the upsert alike but through different dialect constructs;
a store builds its statement for both at import time and picks the session's at run time.
"""

from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session

T = TypeVar("T")

_INSERTS: dict[str, Callable[[Any], Any]] = {"postgresql": pg_insert, "sqlite": sqlite_insert}


def per_dialect(build: Callable[[Callable[[Any], Any]], T]) -> dict[str, T]:
    """`build(insert)` for each dialect's `insert`, by dialect name."""
    return {name: build(insert) for name, insert in _INSERTS.items()}


def dialect_of(session: Session) -> str:
    return session.get_bind().dialect.name
