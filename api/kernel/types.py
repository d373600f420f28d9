"""Column types shared by the models, and the range of dates the API accepts."""

from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator
from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Stores aware datetimes as UTC and always gives them back aware, on SQLite too."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):  # type: ignore[no-untyped-def]
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTCDateTime column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect):  # type: ignore[no-untyped-def]
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


EARLIEST, LATEST = datetime(2000, 1, 1, tzinfo=UTC), datetime(2200, 1, 1, tzinfo=UTC)


def _in_range(value: datetime) -> datetime:
    """Refuse dates no schedule of the programme can have: far ones overflow date arithmetic (a
    500 otherwise). A naive value is left for the model to judge (it asks for an offset)."""
    if value.tzinfo is not None and not EARLIEST <= value <= LATEST:
        raise ValueError(f"must lie between {EARLIEST:%Y} and {LATEST:%Y}")
    if value.tzinfo is None and not EARLIEST.year <= value.year < LATEST.year:
        raise ValueError(f"must lie between {EARLIEST:%Y} and {LATEST:%Y}")
    return value


def _aware(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("must include a time zone offset, e.g. 2026-12-01T09:00:00-03:00")
    return value


# A date and time given to the API: within EARLIEST..LATEST.
Moment = Annotated[datetime, AfterValidator(_in_range)]
# The same, with its time zone offset required (when a ballot opens and closes).
AwareMoment = Annotated[datetime, AfterValidator(_in_range), AfterValidator(_aware)]
