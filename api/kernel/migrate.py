"""Apply the Alembic migrations that ship with the package (used by `serve` and the tests)."""

from functools import lru_cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text

MIGRATIONS = Path(__file__).resolve().parents[1] / "migrations"
LOCK_ID = 4_242_001  # PostgreSQL advisory lock: processes starting together migrate one at a time


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def upgrade(engine: Engine) -> None:
    """Bring the database schema to the newest revision of every branch."""
    config = alembic_config()
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": LOCK_ID})
        config.attributes["connection"] = connection
        command.upgrade(config, "heads")


def migrations_current(engine: Engine) -> bool:
    """True when the database is at the newest revision of every branch the package ships."""
    with engine.connect() as connection:
        return set(MigrationContext.configure(connection).get_current_heads()) == _shipped_heads()


@lru_cache(maxsize=1)
def _shipped_heads() -> frozenset[str]:
    return frozenset(ScriptDirectory.from_config(alembic_config()).get_heads())
