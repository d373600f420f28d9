"""The date and time forms a grupo motor member may type, as a table."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from conversations.convocatorias.when import WhenError, parse_when

ZONE = "America/Santiago"  # UTC-3 in summer (December)
NOW = datetime(2026, 12, 10, 15, 0, tzinfo=UTC)  # Thursday 10 Dec 2026, 12:00 in Santiago


def local(typed: str) -> str:
    return parse_when(typed, now=NOW, timezone=ZONE).astimezone(ZoneInfo(ZONE)).strftime("%Y-%m-%d %H:%M %a")


@pytest.mark.parametrize(("typed", "expected"), [
    ("14/12 18:30", "2026-12-14 18:30 Mon"),
    ("14-12 18:30", "2026-12-14 18:30 Mon"),
    ("14-12-2026 18:30", "2026-12-14 18:30 Mon"),
    ("14/12/26 18.30", "2026-12-14 18:30 Mon"),
    ("14.12 18h", "2026-12-14 18:00 Mon"),
    ("14/12, a las 18:30", "2026-12-14 18:30 Mon"),
    ("5/1 10:00", "2027-01-05 10:00 Tue"),  # day and month already past this year: next year
    ("sábado 18:30", "2026-12-12 18:30 Sat"),
    ("Sabado 18:30", "2026-12-12 18:30 Sat"),
    ("sáb 6:30 pm", "2026-12-12 18:30 Sat"),
    ("jueves 18:30", "2026-12-10 18:30 Thu"),  # today is Thursday and 18:30 is still ahead
    ("jueves 9:00", "2026-12-17 09:00 Thu"),  # ... 9:00 has passed: next week
    ("miércoles 19 hrs", "2026-12-16 19:00 Wed"),
    ("hoy 20:00", "2026-12-10 20:00 Thu"),
    ("mañana 7pm", "2026-12-11 19:00 Fri"),
    ("  Domingo   11:00 ", "2026-12-13 11:00 Sun"),
])
def test_accepted_forms(typed: str, expected: str) -> None:
    assert local(typed) == expected


@pytest.mark.parametrize(("typed", "reason"), [
    ("el sábado en la tarde", "format"),
    ("14/12", "no_time"),
    ("mañana", "no_time"),
    ("Sábado", "no_time"),
    ("feriado 18:30", "format"),
    ("14/12 25:00", "format"),
    ("14/12 18:75", "format"),
    ("13 pm", "format"),
    ("31/02 18:00", "no_date"),
    ("14/13 18:00", "no_date"),
    ("10/12/2026 11:00", "past"),
    ("01-12-2026 18:30", "past"),
    ("hoy 9:00", "past"),
    ("ayer 18:30", "past"),
    ("anteayer 10:00", "past"),
])
def test_rejected_forms_say_why(typed: str, reason: str) -> None:
    with pytest.raises(WhenError) as error:
        parse_when(typed, now=NOW, timezone=ZONE)
    assert error.value.reason == reason


def test_result_is_in_the_barrio_time_zone() -> None:
    moment = parse_when("14/12 18:30", now=NOW, timezone=ZONE)
    assert moment.astimezone(UTC) == datetime(2026, 12, 14, 21, 30, tzinfo=UTC)
