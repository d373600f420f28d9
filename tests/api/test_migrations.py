"""The migrations build exactly the schema the models describe, on each backend."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine
from sqlmodel import SQLModel

import api.tables  # noqa: F401  (registers every table)
from api.kernel.migrate import upgrade


def test_models_and_migrations_agree(engine: Engine) -> None:
    upgrade(engine)  # already at head: a second run is a no-op
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, SQLModel.metadata)
    assert differences == [], f"write a migration for: {differences}"
