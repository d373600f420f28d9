"""Dates and times as people type them in a chat, read in the barrio's time zone.

Pure: "now" and the zone are passed in. Accepted forms (day first, as in Chile):

    14/12 18:30        14-12 18:30         day and month; this year, or next if it passed
    14/12/2026 18:30   14-12-26 18.30      with the year (two or four digits)
    sábado 18:30       sab 18h             the next such weekday (today if the hour is ahead)
    hoy 18:30          mañana 7:00 pm      relative days
Hours: 18:30, 18.30, 18h, 18 hrs, 6:30 pm, 6pm.
"""

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

WEEKDAYS = {  # Monday = 0; full names and the abbreviations people write
    "lunes": 0, "lun": 0, "martes": 1, "mar": 1, "miercoles": 2, "mie": 2, "mier": 2,
    "jueves": 3, "jue": 3, "viernes": 4, "vie": 4, "sabado": 5, "sab": 5, "domingo": 6, "dom": 6,
}
RELATIVE = {"anteayer": -2, "ayer": -1, "hoy": 0, "manana": 1, "pasado manana": 2}  # the past ones: "ya pasó"

_HOUR = r"(?P<hour>\d{1,2})(?:\s*[:.h]\s*(?P<minute>\d{2}))?\s*(?P<suffix>am|pm|a\.m\.|p\.m\.|hrs?|horas?|h)?"
_DATE = r"(?P<day>\d{1,2})[/\-.](?P<month>\d{1,2})(?:[/\-.](?P<year>\d{2}|\d{4}))?"
_NUMERIC = re.compile(rf"^{_DATE},?\s+(?:a las\s+)?{_HOUR}$")
_NAMED = re.compile(rf"^(?P<name>[a-z ]+?),?\s+(?:a las\s+)?{_HOUR}$")
_DAY_ONLY = re.compile(rf"^(?:{_DATE}|(?P<name>[a-z ]+))$")  # "14/12", "sabado": the hour is missing


class WhenError(ValueError):
    """Typed text that is not a usable date and time; `reason` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason  # "format", "no_date" (e.g. 31/02), "no_time" (e.g. 14/12) or "past"


@dataclass(frozen=True)
class _Parts:
    day: date | None
    weekday: int | None
    at: time


def parse_when(typed: str, *, now: datetime, timezone: str) -> datetime:
    """The moment meant by `typed`, timezone-aware; raises WhenError when it cannot be one."""
    zone = ZoneInfo(timezone)
    today = now.astimezone(zone).date()
    parts = _parts(_plain(typed), today)
    if parts.day is not None:
        moment = datetime.combine(parts.day, parts.at, tzinfo=zone)
    else:
        assert parts.weekday is not None
        ahead = (parts.weekday - today.weekday()) % 7
        moment = datetime.combine(today + timedelta(days=ahead), parts.at, tzinfo=zone)
        if moment <= now:
            moment += timedelta(days=7)
    if moment <= now:
        raise WhenError("past")
    return moment


def _plain(typed: str) -> str:
    """Lower case, no accents, single spaces: "Sábado  18:30" -> "sabado 18:30"."""
    folded = unicodedata.normalize("NFKD", typed.strip().lower())
    return " ".join("".join(c for c in folded if not unicodedata.combining(c)).split())


def _parts(text: str, today: date) -> _Parts:
    numeric = _NUMERIC.match(text)
    if numeric:
        at = _time(numeric)
        day, month = int(numeric["day"]), int(numeric["month"])
        year = _year(numeric["year"], today)
        try:
            when = date(year or today.year, month, day)
        except ValueError as error:
            raise WhenError("no_date") from error
        if year is None and when < today:
            when = when.replace(year=today.year + 1)
        return _Parts(when, None, at)
    named = _NAMED.match(text)
    if named:
        name = named["name"].strip()
        if name in RELATIVE:
            return _Parts(today + timedelta(days=RELATIVE[name]), None, _time(named))
        if name in WEEKDAYS:
            return _Parts(None, WEEKDAYS[name], _time(named))
    day_only = _DAY_ONLY.match(text)
    if day_only and (day_only["day"] or day_only["name"] in RELATIVE or day_only["name"] in WEEKDAYS):
        raise WhenError("no_time")
    raise WhenError("format")


def _year(typed: str | None, today: date) -> int | None:
    if typed is None:
        return None
    year = int(typed)
    return year + (today.year // 100) * 100 if year < 100 else year


def _time(match: re.Match[str]) -> time:
    hour, minute = int(match["hour"]), int(match["minute"] or 0)
    suffix = (match["suffix"] or "").replace(".", "")
    if suffix in ("am", "pm"):
        if not 1 <= hour <= 12:
            raise WhenError("format")
        hour = hour % 12 + (12 if suffix == "pm" else 0)
    if hour > 23 or minute > 59:
        raise WhenError("format")
    return time(hour, minute)
