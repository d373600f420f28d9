"""A Core statement compiled once for one database, to run on the driver's own cursor.

The chat's few fixed per-event statements pay SQLAlchemy's execute machinery (events,
execution contexts, result metadata) on every event: on PostgreSQL that costs more CPU
than the driver's own work, and only the driver can send several statements in one
round trip (psycopg's pipeline mode, see api/chat/rows_pg.py). The SQL and the
conversions of every value, both ways, still come from SQLAlchemy and the models' types.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import Dialect
from sqlalchemy.sql.expression import Executable

Convert = Callable[[Any], Any] | None


@dataclass(frozen=True)
class DriverStatement:
    sql: str
    binds: tuple[tuple[str, Convert], ...]  # in the order of the SQL's placeholders
    results: tuple[Convert, ...]
    positional: bool  # `?` placeholders (SQLite) or named ones (psycopg's %(name)s)

    @classmethod
    def compile(cls, statement: Executable, dialect: Dialect) -> "DriverStatement":
        compiled = statement.compile(dialect=dialect)  # type: ignore[attr-defined]
        names = compiled.positiontup or list(compiled.binds)
        binds = tuple((name, compiled.binds[name].type.dialect_impl(dialect).bind_processor(dialect))
                      for name in names)
        columns = getattr(statement, "exported_columns", ())  # the SELECT list or the RETURNING list
        results = tuple(column.type.dialect_impl(dialect).result_processor(dialect, None) for column in columns)
        return cls(str(compiled), binds, results, compiled.positiontup is not None)

    def execute(self, cursor: Any, values: Mapping[str, Any]) -> None:
        """Run on a DBAPI cursor with these values, by bind name."""
        converted = [(name, convert(values[name]) if convert else values[name]) for name, convert in self.binds]
        cursor.execute(self.sql, [value for _, value in converted] if self.positional else dict(converted))

    def row(self, raw: Sequence[Any]) -> tuple[Any, ...]:
        """A row as SQLAlchemy would have given it."""
        return tuple(convert(value) if convert else value for convert, value in zip(self.results, raw, strict=True))
