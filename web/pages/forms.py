"""What the console's forms share: dates and times typed in the barrio's local time (an
<input type="datetime-local">), and a schema's problems listed all at once."""

from datetime import datetime
from zoneinfo import ZoneInfo

from pydantic import ValidationError

from api.kernel.errors import Invalid
from web.errors import FormProblems, one


def from_local(value: str, timezone: str, field: str) -> datetime:
    """"2026-12-14T18:30" in the barrio's time zone, as an aware moment; Invalid("field: ...") otherwise."""
    try:
        naive = datetime.fromisoformat(value.strip())
    except ValueError as error:
        raise Invalid(one(field, "datetime_missing")) from error
    return naive.replace(tzinfo=ZoneInfo(timezone)) if naive.tzinfo is None else naive


def to_local(moment: datetime | None, timezone: str) -> str:
    """The value of a datetime-local input showing `moment` in the barrio's time zone."""
    return "" if moment is None else moment.astimezone(ZoneInfo(timezone)).strftime("%Y-%m-%dT%H:%M")


def problems(error: ValidationError) -> str:
    """Every problem of a form, one "field: message" a line (shown plainly through web.errors.explain)."""
    return FormProblems.of(error)
