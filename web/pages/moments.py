"""Dates and times as staff type them: the barrio's local time in an <input type="datetime-local">."""

from datetime import datetime
from zoneinfo import ZoneInfo

from api.kernel.errors import Invalid


def from_local(value: str, timezone: str, field: str) -> datetime:
    """"2026-12-14T18:30" in the barrio's time zone, as an aware moment; Invalid("field: ...") otherwise."""
    try:
        naive = datetime.fromisoformat(value.strip())
    except ValueError as error:
        raise Invalid(f"{field}: falta la fecha y la hora") from error
    return naive.replace(tzinfo=ZoneInfo(timezone)) if naive.tzinfo is None else naive


def to_local(moment: datetime | None, timezone: str) -> str:
    """The value of a datetime-local input showing `moment` in the barrio's time zone."""
    return "" if moment is None else moment.astimezone(ZoneInfo(timezone)).strftime("%Y-%m-%dT%H:%M")
